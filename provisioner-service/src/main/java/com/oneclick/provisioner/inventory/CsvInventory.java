package com.oneclick.provisioner.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inventory as one CSV file ({@code <dir>/inventory.csv}, Apache Commons CSV), held in memory.
 *
 * <p>The file is an append-only log of rows: a change appends the new version of each changed
 * row (one write and one fsync per batch), and when a request ID appears more than once, its last
 * row is the current one. So a change costs the same whatever the size of the inventory. The file
 * is compacted to one row per request (what {@link #csv()} returns) on start and whenever the
 * superseded rows outnumber the live ones.
 *
 * <p>Crash safety: a compaction writes a temporary file in the same directory, forces it to disk,
 * renames it over the old file atomically and syncs the directory, so it leaves the old file or
 * the new one. An append that a crash cut short leaves a torn last record; on start it is dropped
 * (it was never acknowledged, as its fsync had not returned) and the file is compacted. Leftover
 * temporary files are removed on start.
 *
 * <p>Spreadsheet safety: a value starting with {@code = + - @}, tab or CR would run as a formula
 * when the file is opened in a spreadsheet, so it is written with a leading apostrophe; a value
 * that itself starts with an apostrophe gets one too, and reading strips exactly one, so every
 * value round-trips. Nulls are written as empty unquoted cells and every other value is quoted,
 * so null and the empty string stay apart.
 */
public final class CsvInventory implements Inventory {

    public static final String FILE_NAME = "inventory.csv";
    private static final String TEMP_PREFIX = FILE_NAME + ".";
    private static final String TEMP_SUFFIX = ".tmp";

    /**
     * The columns, in file order. {@code product}, {@code parameters} and {@code outputs} came last, so a
     * file written before them reads as EC2 rows without parameters or outputs (and is rewritten).
     */
    public static final List<String> COLUMNS = List.of("requestId", "status", "name", "requesterEmail", "region",
            "vpcId", "subnetId", "instanceType", "amiId", "keyName", "rootVolumeGiB", "securityGroupIds", "tags",
            "timeToLiveHours", "approvedBy", "commitId", "buildId", "instanceId", "instanceName", "privateIp", "availabilityZone",
            "failureReason", "failurePhase", "createdAt", "updatedAt", "outcomePublishedAt", "product", "parameters",
            "outputs");

    /** First characters that make a spreadsheet treat a cell as a formula, plus the escape itself. */
    private static final String NEUTRALISE = "=+-@\t\r'";

    private static final CSVFormat WRITE_FORMAT = CSVFormat.RFC4180.builder()
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setRecordSeparator("\n")
            .get();
    private static final CSVFormat READ_FORMAT = CSVFormat.RFC4180.builder()
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setHeader()
            .setSkipHeaderRecord(true)
            .get();
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /**
     * Columns not worth pooling: a value of their own in every row (IDs, names, times), or text that is
     * parsed rather than kept (the JSON maps, whose keys and values are pooled one by one).
     */
    private static final Set<String> NOT_POOLED = Set.of("requestId", "name", "commitId",
            "buildId", "instanceId", "instanceName", "privateIp", "failureReason", "createdAt", "updatedAt",
            "outcomePublishedAt", "securityGroupIds", "tags", "parameters", "outputs");
    private static final TypeReference<LinkedHashMap<String, String>> TEXT_MAP = new TypeReference<>() {
    };
    private static final Logger log = LoggerFactory.getLogger(CsvInventory.class);

    /** Superseded rows tolerated in the file beyond the live ones before it is compacted. */
    private static final int COMPACT_SLACK = 10_000;

    private final Path dir;
    private final Path file;
    private final Map<String, InventoryRow> rows = new LinkedHashMap<>();
    private final Map<String, InventoryRow> unfinished = new LinkedHashMap<>();
    private long recordsInFile;

    public CsvInventory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.file = this.dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(this.dir);
            removeLeftoverTempFiles();
            if (Files.exists(file)) {
                Loaded loaded = load(Files.readString(file, StandardCharsets.UTF_8));
                loaded.rows().values().forEach(this::remember);
                if (loaded.torn()) {
                    log.warn("The inventory {} ended in a torn record (a write cut short); dropped it", file);
                }
                // a file written with other columns is rewritten before anything is appended to it
                if (loaded.torn() || loaded.records() > rows.size() || !loaded.header().equals(COLUMNS)) {
                    compact();
                } else {
                    recordsInFile = loaded.records();
                }
            } else {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the inventory " + file, e);
        }
        log.info("Inventory {} loaded with {} row(s), {} with work left", file, rows.size(), unfinished.size());
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<InventoryRow> find(String requestId) {
        return Optional.ofNullable(rows.get(requestId));
    }

    @Override
    public synchronized void saveAll(Collection<InventoryRow> changed) {
        if (changed.isEmpty()) {
            return;
        }
        for (InventoryRow row : changed) {
            if (!RequestIds.isValid(row.requestId())) {
                throw new IllegalArgumentException("not a request ID");
            }
        }
        append(renderRecords(changed));
        recordsInFile += changed.size();
        changed.forEach(this::remember);
        if (recordsInFile > 2L * rows.size() + COMPACT_SLACK) {
            compact();
        }
    }

    @Override
    public synchronized List<InventoryRow> all() {
        return List.copyOf(rows.values());
    }

    @Override
    public synchronized List<InventoryRow> unfinished() {
        return List.copyOf(unfinished.values());
    }

    @Override
    public synchronized int size() {
        return rows.size();
    }

    private void remember(InventoryRow row) {
        rows.put(row.requestId(), row);
        if (row.unfinished()) {
            unfinished.put(row.requestId(), row);
        } else {
            unfinished.remove(row.requestId());
        }
    }

    /** The inventory as CSV text, exactly as it is on disk. */
    public synchronized String csv() {
        return render(rows.values());
    }

    // ---- encoding ---------------------------------------------------------------------------

    static String render(Collection<InventoryRow> rows) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, WRITE_FORMAT)) {
            printer.printRecord(COLUMNS.stream().map(CsvInventory::neutralise).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(renderRecords(rows)).toString();
    }

    private static String renderRecords(Collection<InventoryRow> rows) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, WRITE_FORMAT)) {
            for (InventoryRow row : rows) {
                printer.printRecord(Arrays.stream(cells(row)).map(CsvInventory::neutralise).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The rows of a file (the last record of a request ID wins), how many records it held, and whether it was torn. */
    record Loaded(Map<String, InventoryRow> rows, long records, boolean torn, List<String> header) {
    }

    /**
     * Reads the file; when it does not parse because its end is a record cut short, drops that
     * record (trying the cut points from the end backwards) and says so.
     */
    static Loaded load(String text) throws IOException {
        try {
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new IOException("the file does not end with a complete record");
            }
            return parseRecords(text, false);
        } catch (IOException | RuntimeException firstError) {
            int end = text.length();
            for (int tries = 0; tries < 64; tries++) {
                int cut = text.lastIndexOf('\n', end - 1);
                if (cut < 0) {
                    break;
                }
                try {
                    return parseRecords(text.substring(0, cut + 1), true);
                } catch (IOException | RuntimeException ignored) {
                    end = cut;
                }
            }
            throw firstError instanceof IOException io ? io : new IOException(firstError.getMessage(), firstError);
        }
    }

    static Map<String, InventoryRow> parse(String text) throws IOException {
        return parseRecords(text, false).rows();
    }

    private static Loaded parseRecords(String text, boolean torn) throws IOException {
        Map<String, InventoryRow> parsed = new LinkedHashMap<>();
        // one String per distinct cell value: the rows stay in memory, and most of their values
        // (region, VPC, subnet, type, AMI, key, requester, approver, tags, zones) repeat from row to
        // row, and at 100,000 rows a String each filled the provisioner's heap
        Map<String, String> pool = new HashMap<>();
        long records = 0;
        List<String> header;
        try (Reader reader = new StringReader(text); CSVParser parser = CSVParser.builder()
                .setReader(reader).setFormat(READ_FORMAT).get()) {
            header = parser.getHeaderNames().stream().map(CsvInventory::restore).toList();
            if (!header.containsAll(List.of("requestId", "status"))) {
                throw new IOException("not an inventory file: the header lacks requestId/status");
            }
            for (CSVRecord record : parser) {
                if (record.size() != header.size()) {
                    throw new IOException("inventory record " + record.getRecordNumber() + " has " + record.size()
                            + " cells, the header " + header.size());
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < record.size(); i++) {
                    String column = header.get(i);
                    String value = restore(record.get(i));
                    values.put(column, NOT_POOLED.contains(column) ? value : pooled(pool, value));
                }
                InventoryRow row;
                try {
                    row = fromCells(values, pool);
                } catch (RuntimeException e) {
                    throw new IOException("unreadable inventory row at line " + record.getRecordNumber() + ": "
                            + e.getMessage(), e);
                }
                parsed.put(row.requestId(), row);
                records++;
            }
        }
        return new Loaded(parsed, records, torn, header);
    }

    /**
     * The row's cells in {@link #COLUMNS} order; the request's fields sit flat between status and approvedBy,
     * its product and parameters at the end, with the outputs.
     */
    private static String[] cells(InventoryRow row) {
        InstanceRequest request = row.request();
        return new String[]{
                row.requestId(),
                row.status().name(),
                request.name(),
                request.requesterEmail(),
                request.region(),
                request.vpcId(),
                request.subnetId(),
                request.instanceType(),
                request.amiId(),
                request.keyName(),
                request.rootVolumeGiB() == null ? null : request.rootVolumeGiB().toString(),
                String.join(" ", request.securityGroupIds()),
                json(request.tags()),
                request.timeToLiveHours() == null ? null : request.timeToLiveHours().toString(),
                row.approvedBy(),
                row.commitId(),
                row.buildId(),
                row.instanceId(),
                row.instanceName(),
                row.privateIp(),
                row.availabilityZone(),
                row.failureReason(),
                row.failurePhase(),
                instant(row.createdAt()),
                instant(row.updatedAt()),
                instant(row.outcomePublishedAt()),
                request.product(),
                json(request.parameters()),
                json(row.outputs())};
    }

    private static InventoryRow fromCells(Map<String, String> v, Map<String, String> pool) {
        String requestId = v.get("requestId");
        if (!RequestIds.isValid(requestId)) {
            throw new IllegalArgumentException("requestId is not a request ID");
        }
        return new InventoryRow(
                requestId,
                RowStatus.valueOf(v.get("status")),
                requestFromCells(v, pool),
                v.get("approvedBy"),
                v.get("commitId"),
                v.get("buildId"),
                v.get("instanceId"),
                v.get("instanceName"),
                v.get("privateIp"),
                v.get("availabilityZone"),
                textMap(v.get("outputs"), "outputs", pool),
                v.get("failureReason"),
                v.get("failurePhase"),
                parseInstant(v.get("createdAt")),
                parseInstant(v.get("updatedAt")),
                parseInstant(v.get("outcomePublishedAt")));
    }

    private static InstanceRequest requestFromCells(Map<String, String> v, Map<String, String> pool) {
        String groups = v.get("securityGroupIds");
        String volume = v.get("rootVolumeGiB");
        String timeToLive = v.get("timeToLiveHours"); // absent in files written before the column existed
        String product = v.get("product"); // absent (so EC2) in files written before products existed
        return new InstanceRequest(
                v.get("name"),
                v.get("requesterEmail"),
                v.get("region"),
                v.get("vpcId"),
                v.get("subnetId"),
                v.get("instanceType"),
                v.get("amiId"),
                v.get("keyName"),
                volume == null || volume.isEmpty() ? null : Integer.valueOf(volume),
                groups == null || groups.isBlank() ? List.of()
                        : Arrays.stream(groups.trim().split(" +")).map(g -> pooled(pool, g)).toList(),
                textMap(v.get("tags"), "tags", pool),
                timeToLive == null || timeToLive.isEmpty() ? null : Integer.valueOf(timeToLive),
                product == null || product.isEmpty() ? null : product,
                textMap(v.get("parameters"), "parameters", pool));
    }

    /** Prefixes an apostrophe to a value a spreadsheet would run as a formula (or that starts with one). */
    static String neutralise(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return NEUTRALISE.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    /** Undoes {@link #neutralise}: strips exactly one leading apostrophe. */
    static String restore(String value) {
        return value != null && value.startsWith("'") ? value.substring(1) : value;
    }

    /** A map of text (tags, parameters, outputs) as a JSON object, in its order. */
    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a map as JSON", e);
        }
    }

    /** A JSON object of strings, its keys and values taken from the pool; an empty or absent cell is an empty map. */
    private static Map<String, String> textMap(String json, String column, Map<String, String> pool) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, String> values = JSON.readValue(json, TEXT_MAP);
            if (values == null || values.containsValue(null)) {
                throw new IllegalArgumentException(column + " is not a JSON object of strings");
            }
            Map<String, String> shared = new LinkedHashMap<>();
            values.forEach((key, value) -> shared.put(pooled(pool, key), pooled(pool, value)));
            return shared;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(column + " is not a JSON object of strings");
        }
    }

    /** The pool's String equal to {@code value} (which becomes it when the pool has none); null stays null. */
    private static String pooled(Map<String, String> pool, String value) {
        return value == null ? null : pool.computeIfAbsent(value, v -> v);
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant parseInstant(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }

    // ---- appends and crash-safe compaction ----------------------------------------------------

    private void append(String records) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(records.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the inventory " + file, e);
        }
    }

    /** Rewrites the file with one row per request. */
    private void compact() {
        write(render(rows.values()));
        recordsInFile = rows.size();
    }

    private void write(String text) {
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the inventory " + file, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // removed on the next start
                }
            }
        }
    }

    /** Makes the rename durable. Some platforms cannot open a directory for sync; there the rename must do. */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("directory sync not supported for {}: {}", dir, e.toString());
        }
    }

    private void removeLeftoverTempFiles() throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            stream.forEach(leftovers::add);
        }
        for (Path leftover : leftovers) {
            log.warn("Removing {} left over from an interrupted inventory write", leftover.getFileName());
            Files.deleteIfExists(leftover);
        }
    }
}
