package io.logpush.job.records;

/**
 * What the job buffer keeps per job in broadcast state: the job's latest config version and the
 * frame a new batch gets under it. Every buffer instance holds one per job, so this replaces the
 * config itself (about four times larger, and parsed again on every restore).
 *
 * @param frame null when the version deletes or disables the job
 */
public record JobFrame(long version, BatchFrame frame) {}
