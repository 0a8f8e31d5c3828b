package io.logpush.config.broadcast;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One change that passed validation and the config guard, broadcast to every instance of the
 * pipeline: the job JSON of the given version, or empty for a deletion. Applying updates keeps the
 * highest version per job, so the order in which an instance receives them does not matter.
 *
 * <p>Immutable. Every instance keeps one per job in broadcast state, so the JSON is held deflated
 * ({@link ConfigJson}: a quarter of its size) and inflated only when a job is compiled.
 */
@TypeInfo(ConfigUpdateTypeInfo.Factory.class)
public final class ConfigUpdate {

    private final long jobId;
    private final long version;
    /** The deflated JSON; null for a deletion. */
    private final byte[] deflatedJson;

    public ConfigUpdate(long jobId, long version, Optional<String> json) {
        this(jobId, version, json.map(ConfigJson::deflate).orElse(null));
    }

    /** @param deflatedJson as {@link ConfigJson} deflates it; null for a deletion */
    ConfigUpdate(long jobId, long version, byte[] deflatedJson) {
        this.jobId = jobId;
        this.version = version;
        this.deflatedJson = deflatedJson;
    }

    public long jobId() {
        return jobId;
    }

    public long version() {
        return version;
    }

    /** The job's JSON (inflated on each call); empty for a deletion. */
    public Optional<String> json() {
        return deflatedJson == null ? Optional.empty() : Optional.of(ConfigJson.inflate(deflatedJson));
    }

    /** The JSON as stored, for the serializer; null for a deletion. */
    byte[] deflatedJson() {
        return deflatedJson;
    }

    public boolean isDelete() {
        return deflatedJson == null;
    }

    /** Whether this update replaces one of {@code version}: only newer versions win. */
    public boolean supersedes(long version) {
        return this.version > version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigUpdate other && jobId == other.jobId && version == other.version
                && Arrays.equals(deflatedJson, other.deflatedJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, version, Arrays.hashCode(deflatedJson));
    }

    @Override
    public String toString() {
        return "ConfigUpdate[jobId=" + jobId + ", version=" + version + ", json=" + json().orElse("(deleted)") + "]";
    }
}
