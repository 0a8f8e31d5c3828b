package io.logpush.config.broadcast;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Optional;

/**
 * One change that passed validation and the config guard, broadcast to every instance of the
 * pipeline: the job JSON of the given version, or empty for a deletion. Applying updates keeps the
 * highest version per job, so the order in which an instance receives them does not matter.
 */
@TypeInfo(ConfigUpdateTypeInfo.Factory.class)
public record ConfigUpdate(long jobId, long version, Optional<String> json) {

    public boolean isDelete() {
        return json.isEmpty();
    }

    /** Whether this update replaces one of {@code version}: only newer versions win. */
    public boolean supersedes(long version) {
        return this.version > version;
    }
}
