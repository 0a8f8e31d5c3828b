package io.logpush.config.broadcast;

import io.logpush.types.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/** Flink type information for {@link ConfigUpdate}: always {@link ConfigUpdateSerializer}, never Kryo. */
public final class ConfigUpdateTypeInfo extends SerializerTypeInfo<ConfigUpdate> {

    private static final long serialVersionUID = 1L;

    public static final ConfigUpdateTypeInfo INSTANCE = new ConfigUpdateTypeInfo();

    private ConfigUpdateTypeInfo() {
        super(ConfigUpdate.class, ConfigUpdateSerializer.INSTANCE);
    }

    /** Lets Flink's type extraction find this type information from the annotation on {@link ConfigUpdate}. */
    public static final class Factory extends TypeInfoFactory<ConfigUpdate> {
        @Override
        public TypeInformation<ConfigUpdate> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
