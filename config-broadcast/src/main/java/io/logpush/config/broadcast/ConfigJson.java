package io.logpush.config.broadcast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A job config's JSON as every pipeline instance keeps it, in heap and in each checkpoint: raw
 * deflate against a fixed dictionary of the config vocabulary (keys, datasets, common fields and
 * values). A typical config shrinks three to four times, where plain deflate gains a third on
 * such short texts. The dictionary is part of the state format: changing it needs a new format
 * version of {@link ConfigUpdateSerializer}.
 */
final class ConfigJson {

    /** Format 2's dictionary; the most frequent strings come last (shortest distances). Never edit: add a format. */
    static final byte[] DICTIONARY_V2 = ("""
            "ownership_challenge":"frequency":"low","high","logpull_options":"kind":"edge","instant-logs",\
            "name":"last_complete":"last_error":"error_message":"r2://","gs://","azure://","https://",\
            "sumo://","datadog://","splunk://"?region=&access-key-id=&secret-access-key=&sse=AES256",\
            "output_type":"ndjson","csv","timestamp_format":"unixnano","unix","rfc3339","rfc3339ms",\
            "sample_rate":"batch_prefix":"batch_suffix":"record_prefix":"record_suffix":"record_delimiter":\
            "field_delimiter":"record_template":"CVE-2021-44228":false,"filter":"{\\"where\\":{\\"and\\":[{\\"or\\":\
            [{\\"key\\":\\"\\",\\"operator\\":\\"eq\\",\\"neq\\",\\"in\\",\\"contains\\",\\"startsWith\\",\\"value\\":\
            "firewall_events","dns_logs","workers_trace_events","audit_logs","gateway_http","spectrum_events",\
            "account_id":"max_upload_bytes":5000000,"max_upload_records":100000,"max_upload_interval_seconds":30,\
            "output_options":{"field_names":["BotScore","CacheCacheStatus","ClientASN","ClientCountry",\
            "ClientDeviceType","ClientRequestPath","ClientRequestProtocol","ClientRequestReferer",\
            "ClientRequestUserAgent","ClientSSLProtocol","EdgeEndTimestamp","OriginResponseStatus",\
            "SecurityAction","WAFAction","ClientIP","ClientRequestHost","ClientRequestMethod","ClientRequestURI",\
            "EdgeResponseBytes","EdgeResponseStatus","EdgeStartTimestamp","ZoneName","RayID"]},\
            "destination_conf":"s3://","file:///{DATE}","dataset":"http_requests","enabled":true,"zone_id":"id":\
            """).getBytes(StandardCharsets.UTF_8);

    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_COMPRESSION, true));
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

    private ConfigJson() {}

    static byte[] deflate(String json) {
        byte[] input = json.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setDictionary(DICTIONARY_V2);
        deflater.setInput(input);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
        byte[] buffer = new byte[Math.max(64, input.length)];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        return out.toByteArray();
    }

    static String inflate(byte[] deflated) {
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        // Raw deflate has no header to ask for the dictionary: set it up front.
        inflater.setDictionary(DICTIONARY_V2);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 4);
        byte[] buffer = new byte[Math.max(256, deflated.length * 4)];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("a stored job config is truncated");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("a stored job config is corrupt: " + e.getMessage(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
