package io.logpush.config.broadcast;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broadcast-state format of config updates: deflated against a fixed dictionary, pinned by golden bytes. */
class ConfigUpdateSerializerTest {

    /** A config as Cloudflare's API documents them, with credentials in the destination. */
    static final String SAMPLE_JSON = "{\"id\":146,\"dataset\":\"http_requests\",\"enabled\":true,\"name\":\"example.com\","
            + "\"destination_conf\":\"s3://customer-logs/http/{DATE}?region=us-east-1&access-key-id=AKIAIOSFODNN7EXAMPLE"
            + "&secret-access-key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"max_upload_bytes\":5000000,"
            + "\"max_upload_records\":100000,\"max_upload_interval_seconds\":30,\"output_options\":{\"field_names\":"
            + "[\"ClientIP\",\"ClientRequestHost\",\"ClientRequestMethod\",\"ClientRequestURI\",\"EdgeEndTimestamp\","
            + "\"EdgeResponseBytes\",\"EdgeResponseStatus\",\"EdgeStartTimestamp\",\"RayID\"],\"timestamp_format\":\"rfc3339\"},"
            + "\"filter\":\"{\\\"where\\\":{\\\"and\\\":[{\\\"key\\\":\\\"ClientRequestHost\\\",\\\"operator\\\":\\\"eq\\\","
            + "\\\"value\\\":\\\"example.com\\\"}]}}\",\"zone_id\":\"023e105f4ecef8ad9ca31a8372d0c353\"}";
    static final ConfigUpdate SAMPLE = new ConfigUpdate(146, 7, Optional.of(SAMPLE_JSON));

    private static byte[] serialize(ConfigUpdate update) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        ConfigUpdateSerializer.INSTANCE.serialize(update, out);
        return out.getCopyOfBuffer();
    }

    private static ConfigUpdate deserialize(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        ConfigUpdate update = ConfigUpdateSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        return update;
    }

    private byte[] golden(int version) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/golden/config-update-v" + version + ".bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsAndWritesVersion2GoldenBytes() throws IOException {
        // The golden bytes pin the dictionary too: an edited dictionary cannot read them back.
        assertThat(deserialize(golden(2)).json()).contains(SAMPLE_JSON);
        assertThat(serialize(SAMPLE)).isEqualTo(golden(2));
    }

    @Test
    void readsVersion1WhichHeldTheJsonAsText() throws IOException {
        DataOutputSerializer v1 = new DataOutputSerializer(256);
        v1.writeByte(1);
        v1.writeLong(146);
        v1.writeLong(7);
        v1.writeBoolean(true);
        byte[] text = SAMPLE_JSON.getBytes(StandardCharsets.UTF_8);
        v1.writeInt(text.length);
        v1.write(text);
        assertThat(deserialize(v1.getCopyOfBuffer())).isEqualTo(SAMPLE);

        DataOutputSerializer deletion = new DataOutputSerializer(32);
        deletion.writeByte(1);
        deletion.writeLong(146);
        deletion.writeLong(8);
        deletion.writeBoolean(false);
        assertThat(deserialize(deletion.getCopyOfBuffer())).satisfies(update -> {
            assertThat(update.isDelete()).isTrue();
            assertThat(update.json()).isEmpty();
            assertThat(update.version()).isEqualTo(8);
        });
    }

    @Test
    void aConfigIsStoredInAFractionOfItsSizeAndReadBackWhole() throws IOException {
        byte[] stored = serialize(SAMPLE);
        assertThat(stored.length).as("%d bytes stored for %d of JSON", stored.length, SAMPLE_JSON.length())
                .isLessThan(SAMPLE_JSON.length() * 45 / 100);
        String unusual = "{\"id\":1,\"name\":\"zöne – 日本 " + "x".repeat(5_000) + "\",\"zone_id\":\"z\"}";
        ConfigUpdate update = new ConfigUpdate(1, 1, Optional.of(unusual));
        assertThat(deserialize(serialize(update)).json()).contains(unusual);
        assertThat(deserialize(serialize(new ConfigUpdate(1, 2, Optional.empty()))).isDelete()).isTrue();
    }

    @Test
    void anUnknownFormatIsRefusedClearly() {
        byte[] bytes = new byte[17];
        bytes[0] = 9;
        assertThatThrownBy(() -> deserialize(bytes)).hasMessage("unknown config update format 9");
    }
}
