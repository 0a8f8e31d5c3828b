package io.logpush.config.broadcast;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/** Flink type information for {@link ConfigUpdate}: always {@link ConfigUpdateSerializer}, never Kryo. */
public final class ConfigUpdateTypeInfo extends TypeInformation<ConfigUpdate> {

    public static final ConfigUpdateTypeInfo INSTANCE = new ConfigUpdateTypeInfo();

    /** Lets Flink's type extraction find this type information from the annotation on {@link ConfigUpdate}. */
    public static final class Factory extends TypeInfoFactory<ConfigUpdate> {
        @Override
        public TypeInformation<ConfigUpdate> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<ConfigUpdate> getTypeClass() {
        return ConfigUpdate.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ConfigUpdate> createSerializer(SerializerConfig config) {
        return ConfigUpdateSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ConfigUpdate";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ConfigUpdateTypeInfo;
    }

    @Override
    public int hashCode() {
        return ConfigUpdateTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ConfigUpdateTypeInfo;
    }
}
