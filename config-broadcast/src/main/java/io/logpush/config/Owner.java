package io.logpush.config;

import java.util.Objects;

/** The zone or account that owns a job; events are routed by this id (the Kafka record key). */
public record Owner(OwnerKind kind, String id) {

    public Owner {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    /** {@code zone:<id>} or {@code account:<id>}: how the CLI and ownership challenges name an owner. */
    public String qualifiedId() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }
}
