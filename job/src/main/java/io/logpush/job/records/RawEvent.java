package io.logpush.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One record of the events topic as the source hands it over, unparsed: routing needs only the
 * owner (record key) and the dataset (header), so events of unconfigured owners are never parsed.
 *
 * @param owner the zone or account id from the record key; empty if the key is missing
 * @param dataset the {@code dataset} header; empty if missing
 * @param value the event JSON, unparsed
 * @param timestamp the record timestamp: the event time, in epoch milliseconds
 */
@TypeInfo(RawEventSerializer.Factory.class)
public record RawEvent(String owner, String dataset, byte[] value, long timestamp, String topic, int partition, long offset) {}
