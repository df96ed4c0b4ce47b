package io.runnel.spi.format;

import io.runnel.api.serialization.RecordDeserializer;
import io.runnel.api.serialization.RecordSerializer;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes serializers and deserializers of one record format. Register as an OSGi service with
 * {@value #FORMAT}{@code =<name>}.
 *
 * <p>Options: a connector passes the options of one use of the format with their prefix removed. For
 * example a Kafka source with {@code value.format=avro} and {@code value.avro.schema-file=/s/click.avsc}
 * calls the {@code avro} factory with {@code schema-file=/s/click.avsc}. {@link #validateOptions} runs
 * when a job is submitted; the {@code create} methods run where the job's tasks run, once per subtask.
 *
 * <p>Thread safety: every method may be called from several threads at once; the serializers and
 * deserializers made are used by one task thread each.
 */
@ConsumerType
public interface RecordFormatFactory {

    /** Service property naming the format. */
    String FORMAT = "runnel.format";

    /**
     * Checks the options of one use of the format when the job is submitted, before anything runs,
     * including that the files they name can be read.
     *
     * @param options the options without their prefix
     * @throws IllegalArgumentException naming the bad option and its value and saying what is allowed
     */
    void validateOptions(Map<String, String> options);

    /**
     * A serializer writing records in this format.
     *
     * @param options the options without their prefix, already validated
     * @throws IllegalArgumentException if the options cannot be used here (a file gone since validation)
     */
    RecordSerializer<Object> createSerializer(Map<String, String> options);

    /**
     * A deserializer reading records in this format.
     *
     * @param options the options without their prefix, already validated
     * @throws IllegalArgumentException if the options cannot be used here (a file gone since validation)
     */
    RecordDeserializer<Object> createDeserializer(Map<String, String> options);
}
