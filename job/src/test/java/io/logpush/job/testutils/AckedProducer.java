package io.logpush.job.testutils;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A test's producer whose {@link #close()} fails unless the broker acknowledged every record, so
 * that a shortfall downstream is the pipeline's doing and never a send that failed silently.
 */
public final class AckedProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    AckedProducer(KafkaProducer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    public void send(ProducerRecord<byte[], byte[]> record) {
        pending.add(producer.send(record));
    }

    public void flush() {
        producer.flush();
    }

    /** Waits for every acknowledgement; throws if any record was not written. */
    @Override
    public void close() {
        try {
            producer.flush();
            for (Future<RecordMetadata> ack : pending) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not acknowledge a test record", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for acknowledgements", e);
        } finally {
            producer.close();
        }
    }
}
