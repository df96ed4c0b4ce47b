package io.runnel.types.avro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;

/**
 * The Avro schemas of a directory, by their 64-bit parsing fingerprint (Avro's CRC-64 of the schema's
 * canonical form, which single-object encoding writes into every record).
 *
 * <p>Every {@code *.avsc} file under the directory (sub-directories included) holds one schema; each
 * file is parsed on its own, so two versions of the same record may sit side by side (for example
 * {@code user-v1.avsc} and {@code user-v2.avsc}). A reader that meets a fingerprint it does not know
 * calls {@link #refresh}, so a writer schema dropped into the directory while a job runs is found
 * without a restart.
 *
 * <p>Thread-safe: lookups read an immutable snapshot that {@link #refresh} replaces.
 */
public final class AvroSchemaDirectory {

    /** Rescans on unknown fingerprints happen at most this often, so a stream of bad records cannot keep the disk busy. */
    private static final long MIN_RESCAN_INTERVAL_NANOS = 1_000_000_000L;

    private final Path directory;
    private volatile Map<Long, Schema> byFingerprint;
    private volatile long lastScan;

    private AvroSchemaDirectory(Path directory, Map<Long, Schema> schemas) {
        this.directory = directory;
        this.byFingerprint = schemas;
        this.lastScan = System.nanoTime();
    }

    /**
     * Reads every {@code *.avsc} file under {@code directory}.
     *
     * @throws IllegalArgumentException if the directory does not exist or a file is not a valid Avro
     *     schema (the message names the file and Avro's reason)
     */
    public static AvroSchemaDirectory load(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("The Avro schema directory " + directory.toAbsolutePath()
                    + " does not exist or is not a directory: create it and put the writers' .avsc files in it");
        }
        return new AvroSchemaDirectory(directory, scan(directory));
    }

    /** A directory of these schemas only, for tests and for jobs that build their schemas in code. */
    public static AvroSchemaDirectory of(Schema... schemas) {
        Map<Long, Schema> map = new HashMap<>();
        for (Schema schema : schemas) {
            map.put(SchemaNormalization.parsingFingerprint64(schema), schema);
        }
        return new AvroSchemaDirectory(null, Collections.unmodifiableMap(map));
    }

    /** The schema with this parsing fingerprint, or null if the directory has none. */
    public Schema find(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    /**
     * The schema with this fingerprint, reading the directory again first if it is not known yet and
     * the last read is more than a second old.
     */
    public Schema findOrRescan(long fingerprint) {
        Schema schema = byFingerprint.get(fingerprint);
        if (schema != null || directory == null) {
            return schema;
        }
        long now = System.nanoTime();
        if (now - lastScan >= MIN_RESCAN_INTERVAL_NANOS) {
            refresh();
        }
        return byFingerprint.get(fingerprint);
    }

    /**
     * Reads the directory again. A file that became invalid keeps its old schema out of the result
     * and fails the refresh, so a half-written file does not hide the schemas that were there.
     *
     * @throws IllegalArgumentException as {@link #load}
     */
    public synchronized void refresh() {
        if (directory == null) {
            return;
        }
        lastScan = System.nanoTime();
        byFingerprint = scan(directory);
    }

    /** The number of distinct schemas known. */
    public int size() {
        return byFingerprint.size();
    }

    /** Where the schemas come from, for messages. */
    public String describe() {
        return directory == null ? byFingerprint.size() + " schema(s) given in code"
                : byFingerprint.size() + " schema(s) in " + directory.toAbsolutePath();
    }

    private static Map<Long, Schema> scan(Path directory) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".avsc") && Files.isRegularFile(p)).sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot list the Avro schema directory " + directory.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        Map<Long, Schema> schemas = new HashMap<>();
        for (Path file : files) {
            Schema schema;
            try {
                schema = new Schema.Parser().parse(file.toFile());
            } catch (IOException | SchemaParseException e) {
                throw new IllegalArgumentException("The Avro schema file " + file.toAbsolutePath()
                        + " cannot be read: " + e.getMessage() + ". Fix the file or move it out of the schema directory.", e);
            }
            schemas.put(SchemaNormalization.parsingFingerprint64(schema), schema);
        }
        return Collections.unmodifiableMap(schemas);
    }
}
