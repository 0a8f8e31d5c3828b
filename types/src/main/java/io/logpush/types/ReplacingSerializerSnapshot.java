package io.logpush.types;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializerSnapshot;

import java.util.function.Supplier;

/**
 * The snapshot of a hand-written serializer that replaced Flink's reflective one (POJO or Kryo)
 * for the same state: state written by the old one is read with it once, on restore, and written in
 * the new format from then on (Flink's state migration). Anything else is judged as a
 * {@link SimpleTypeSerializerSnapshot} would.
 */
public class ReplacingSerializerSnapshot<T> extends SimpleTypeSerializerSnapshot<T> {

    public ReplacingSerializerSnapshot(Supplier<? extends TypeSerializer<T>> serializer) {
        super(serializer);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot instanceof PojoSerializerSnapshot || oldSnapshot instanceof KryoSerializerSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return super.resolveSchemaCompatibility(oldSnapshot);
    }
}
