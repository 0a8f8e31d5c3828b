package io.logpush.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the delivery check counts: visible objects only, ndjson and csv, duplicates and owners per job; objects of one gzip member. */
class DeliveryCheckTest {

    @TempDir
    Path root;

    private void object(String path, String content) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void countsVisibleObjectsPerJobAndFindsDuplicates() throws Exception {
        object("job-1/20241114/a.log.gz", "{\"RayID\":\"r1\",\"ZoneName\":\"z1\"}\n{\"RayID\":\"r2\",\"ZoneName\":\"z1\"}\n");
        object("job-1/20241114/b.log.gz", "{\"RayID\":\"r2\",\"ZoneName\":\"z1\"}\n");
        object("job-1/20241114/.b.log.gz.inprogress.123", "{\"RayID\":\"r9\",\"ZoneName\":\"z1\"}\n");
        object("job-2/20241114/c.log.gz", "RayID,ZoneName,ClientIP\nr5,z2,1.2.3.4\nr6,z9,1.2.3.5\n");
        DeliveryCheck check = new DeliveryCheck(root.toString());
        DeliveryCheck.JobDelivery one = check.scan().get("job-1");
        assertThat(one.objects()).isEqualTo(2);
        assertThat(one.records()).isEqualTo(3);
        assertThat(one.distinct()).isEqualTo(2);
        assertThat(one.duplicates()).isEqualTo(1);
        assertThat(one.largestObject()).isEqualTo(2);
        DeliveryCheck.JobDelivery two = check.scan().get("job-2");
        assertThat(two.records()).isEqualTo(2);
        assertThat(two.owners()).containsExactlyInAnyOrder("z2", "z9");
    }

    @Test
    void anObjectOfTwoGzipMembersIsRefusedByName() throws Exception {
        object("job-1/20241114/a.log.gz", "{\"RayID\":\"r1\",\"ZoneName\":\"z1\"}\n");
        Path twoMembers = root.resolve("job-1/20241114/a.log.gz");
        byte[] member = Files.readAllBytes(twoMembers);
        Files.write(twoMembers, member, StandardOpenOption.APPEND); // a reader of one member would miss the second
        assertThatThrownBy(() -> new DeliveryCheck(root.toString()).scan())
                .isInstanceOf(UncheckedIOException.class)
                .rootCause().hasMessageContaining("job-1/20241114/a.log.gz: ").hasMessageContaining("bytes after the first member's trailer");
    }
}
