package com.oneclick.provisioner.inventory;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.provisioner.support.Fixtures;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CsvInventoryTest {

    private static final List<String> HOSTILE = List.of(
            "=HYPERLINK(\"http://evil.example\",\"click\")",
            "+1+2",
            "-2+3",
            "@SUM(A1:A2)",
            "\tTAB",
            "\rCR",
            "'quoted already",
            "''two apostrophes",
            "comma, \"quote\" and\nnew line");

    /** The inventory file of {@link #theFileLayoutIsExactlyThePinnedHeaderAndRow}'s row, byte for byte. */
    private static final String PINNED = """
            "requestId","status","name","requesterEmail","region","vpcId","subnetId","instanceType","amiId",\
            "keyName","rootVolumeGiB","securityGroupIds","tags","timeToLiveHours","approvedBy","commitId","buildId",\
            "instanceId","instanceName","privateIp","availabilityZone","failureReason","failurePhase","createdAt","updatedAt",\
            "outcomePublishedAt","product","parameters","outputs"
            "0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","PROVISIONED","web-1","dev@example.com","eu-west-1",\
            "vpc-0a1b2c3d","subnet-0a1b2c3d","t3.micro","ami-0a1b2c3d4e5f67890","my-key","20",\
            "sg-0a1b2c3d sg-11112222","{""team"":""platform"",""cost-center"":""42""}","168","'=alice",\
            "0123456789abcdef0123456789abcdef01234567","local-1","i-0123456789abcdef0","web-1","10.1.2.3",\
            "eu-west-1a",,,"2025-01-02T03:04:05.123456Z","2025-01-02T03:04:09.123456Z",\
            "2025-01-02T03:04:09.123456Z","ec2-instance","{}",\
            "{""instance_id"":""i-0123456789abcdef0"",""instance_name"":""web-1"",""private_ip"":""10.1.2.3"",\
            ""availability_zone"":""eu-west-1a""}"
            """;

    /** The same row in the layout before products existed (no product, parameters or outputs column). */
    private static final String PREVIOUS_LAYOUT = """
            "requestId","status","name","requesterEmail","region","vpcId","subnetId","instanceType","amiId",\
            "keyName","rootVolumeGiB","securityGroupIds","tags","timeToLiveHours","approvedBy","commitId","buildId",\
            "instanceId","instanceName","privateIp","availabilityZone","failureReason","failurePhase","createdAt","updatedAt",\
            "outcomePublishedAt"
            "0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b","PROVISIONED","web-1","dev@example.com","eu-west-1",\
            "vpc-0a1b2c3d","subnet-0a1b2c3d","t3.micro","ami-0a1b2c3d4e5f67890","my-key","20",\
            "sg-0a1b2c3d sg-11112222","{""team"":""platform"",""cost-center"":""42""}","168","'=alice",\
            "0123456789abcdef0123456789abcdef01234567","local-1","i-0123456789abcdef0","web-1","10.1.2.3",\
            "eu-west-1a",,,"2025-01-02T03:04:05.123456Z","2025-01-02T03:04:09.123456Z",\
            "2025-01-02T03:04:09.123456Z"
            """;

    private static final Map<String, String> EC2_OUTPUTS = Fixtures.ec2Outputs("i-0123456789abcdef0");

    @TempDir
    Path dir;

    @Test
    void hostileValuesSurviveWriteAndRead() {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        List<InventoryRow> rows = HOSTILE.stream().map(CsvInventoryTest::rowWith).toList();

        // when
        rows.forEach(inventory::save);
        CsvInventory reloaded = new CsvInventory(dir);

        // then
        assertThat(reloaded.all()).containsExactlyElementsOf(rows);
        assertThat(inventory.all()).containsExactlyElementsOf(rows);
    }

    @Test
    void noCellOfTheFileStartsWithAFormulaTrigger() throws IOException {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        HOSTILE.stream().map(CsvInventoryTest::rowWith).forEach(inventory::save);

        // when
        List<String> cells = rawCells(Files.readString(inventory.file(), StandardCharsets.UTF_8));

        // then
        assertThat(cells).isNotEmpty();
        assertThat(cells).noneMatch(cell -> !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0);
        assertThat(cells).contains("'=HYPERLINK(\"http://evil.example\",\"click\")", "'-2+3", "''quoted already",
                "'''two apostrophes");
    }

    @Test
    void csvTextIsTheFileOnDisk() throws IOException {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        inventory.save(Fixtures.row("web-1"));

        // when
        String csv = inventory.csv();

        // then
        assertThat(csv).isEqualTo(Files.readString(inventory.file(), StandardCharsets.UTF_8));
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("\"requestId\",\"status\",\"name\"")
                .endsWith("\"outcomePublishedAt\",\"product\",\"parameters\",\"outputs\"");
    }

    @Test
    void theFileLayoutIsExactlyThePinnedHeaderAndRow() throws IOException {
        // given: a row with every kind of cell: text, number, list, map, timestamps, a formula trigger, no value
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team", "platform");
        tags.put("cost-center", "42");
        InstanceRequest request = new InstanceRequest("web-1", "dev@example.com", "eu-west-1", "vpc-0a1b2c3d",
                "subnet-0a1b2c3d", "t3.micro", "ami-0a1b2c3d4e5f67890", "my-key", 20,
                List.of("sg-0a1b2c3d", "sg-11112222"), tags);
        InventoryRow row = InventoryRow.approved("0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", withTimeToLive(request, 168),
                        "=alice", Fixtures.T0)
                .pushed("0123456789abcdef0123456789abcdef01234567", Fixtures.T0.plusSeconds(1))
                .building("local-1", Fixtures.T0.plusSeconds(2))
                .provisioned("i-0123456789abcdef0", "web-1", "10.1.2.3", "eu-west-1a", EC2_OUTPUTS,
                        Fixtures.T0.plusSeconds(3))
                .outcomePublished(Fixtures.T0.plusSeconds(4));
        CsvInventory inventory = new CsvInventory(dir);

        // when
        inventory.save(row);

        // then: changing this text changes the file format; existing inventory files must still load
        assertThat(Files.readString(inventory.file(), StandardCharsets.UTF_8)).isEqualTo(PINNED);
        assertThat(new CsvInventory(dir).all()).containsExactly(row);
    }

    @Test
    void rowsReadFromTheFileShareOneStringPerRepeatedValueAndEmptyMapsAreNotCopied() throws IOException {
        // given two built rows and one approved row with the same region, VPC, requester, approver,
        // tags, security groups and zone, written by this inventory and read back by another
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow web1 = built(Fixtures.row("web-1"), "i-0123456789abcdef0");
        InventoryRow web2 = built(Fixtures.row("web-2"), "i-0fedcba9876543210");
        InventoryRow web3 = Fixtures.row("web-3");
        inventory.saveAll(List.of(web1, web2, web3));

        // when
        CsvInventory reloaded = new CsvInventory(dir);
        InventoryRow first = reloaded.find(web1.requestId()).orElseThrow();
        InventoryRow second = reloaded.find(web2.requestId()).orElseThrow();
        InventoryRow third = reloaded.find(web3.requestId()).orElseThrow();

        // then equal values are one object
        assertThat(second.request().region()).isSameAs(first.request().region());
        assertThat(second.request().vpcId()).isSameAs(first.request().vpcId());
        assertThat(second.request().requesterEmail()).isSameAs(first.request().requesterEmail());
        assertThat(second.approvedBy()).isSameAs(first.approvedBy());
        assertThat(second.availabilityZone()).isSameAs(first.availabilityZone());
        assertThat(second.request().securityGroupIds().get(1)).isSameAs(first.request().securityGroupIds().get(1));
        assertThat(second.request().tags().get("team")).isSameAs(first.request().tags().get("team"));
        assertThat(second.request().tags().keySet().iterator().next())
                .isSameAs(first.request().tags().keySet().iterator().next());
        assertThat(second.outputs().get("availability_zone")).isSameAs(first.outputs().get("availability_zone"));
        // then the EC2 requests' empty parameters and the unbuilt row's empty outputs are the shared empty map
        assertThat(first.request().parameters()).isSameAs(Map.of());
        assertThat(third.outputs()).isSameAs(Map.of());
        // and nothing else changed
        assertThat(reloaded.all()).containsExactly(web1, web2, web3);
    }

    private static InventoryRow built(InventoryRow row, String instanceId) {
        return row.pushed("0123456789abcdef0123456789abcdef01234567", Fixtures.T0.plusSeconds(1))
                .provisioned(instanceId, row.request().name(), "10.1.2.3", "eu-west-1a",
                        Fixtures.ec2Outputs(instanceId), Fixtures.T0.plusSeconds(2));
    }

    @Test
    void aChangeAppendsTheRowsNewVersionAndAReloadKeepsTheLastOneAndCompacts() throws IOException {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow approved = Fixtures.row("web-1");
        InventoryRow other = Fixtures.row("web-2");
        inventory.saveAll(List.of(approved, other));
        long linesBefore = Files.readAllLines(inventory.file()).size();

        // when
        InventoryRow pushed = approved.pushed("0123456789abcdef0123456789abcdef01234567", Fixtures.T0.plusSeconds(1));
        inventory.save(pushed);
        long linesAfter = Files.readAllLines(inventory.file()).size();
        CsvInventory reloaded = new CsvInventory(dir);

        // then
        assertThat(linesAfter).isEqualTo(linesBefore + 1);
        assertThat(reloaded.all()).containsExactly(pushed, other);
        assertThat(Files.readAllLines(reloaded.file())).hasSize(3);
        assertThat(Files.readString(reloaded.file(), StandardCharsets.UTF_8)).isEqualTo(reloaded.csv());
    }

    @Test
    void aRecordTornByACrashIsDroppedAndTheRowsBeforeItAreKept() throws IOException {
        // given: a complete file, then an append cut short in the middle of a quoted cell
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow kept = Fixtures.row("web-1").failed("apply", "Error: boom\nsecond line", Fixtures.T0);
        inventory.save(kept);
        String whole = CsvInventory.render(List.of(Fixtures.row("web-2")));
        String torn = whole.substring(whole.indexOf('\n') + 1, whole.indexOf('\n') + 60);
        Files.writeString(inventory.file(), torn, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        // when
        CsvInventory reloaded = new CsvInventory(dir);

        // then
        assertThat(reloaded.all()).containsExactly(kept);
        assertThat(Files.readString(reloaded.file(), StandardCharsets.UTF_8)).isEqualTo(reloaded.csv());
    }

    @Test
    void aFileWrittenWithoutTheFailurePhaseColumnLoadsAndIsRewrittenBeforeAnAppend() throws IOException {
        // given: the layout before failurePhase existed
        InventoryRow row = Fixtures.row("web-1");
        String current = CsvInventory.render(List.of(row));
        String old = current.replace("\"failurePhase\",", "").replaceFirst(",,,\"", ",,\"");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CsvInventory.FILE_NAME), old, StandardCharsets.UTF_8);

        // when
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow next = row.pushed("0123456789abcdef0123456789abcdef01234567", Fixtures.T0.plusSeconds(1));
        inventory.save(next);

        // then
        assertThat(old).doesNotContain("failurePhase");
        assertThat(new CsvInventory(dir).all()).containsExactly(next);
        assertThat(Files.readAllLines(inventory.file()).get(0)).contains("\"failurePhase\"");
    }

    @Test
    void aFileWrittenWithoutTheTimeToLiveColumnLoadsWithoutExpiryAndIsRewrittenOnStart() throws IOException {
        // given: the layout before timeToLiveHours existed (header and cells without it)
        InventoryRow row = Fixtures.row("web-1");
        String current = CsvInventory.render(List.of(row));
        String old = current.replace("\"timeToLiveHours\",", "").replace("\"}\",,\"alice\"", "\"}\",\"alice\"");
        assertThat(old).doesNotContain("timeToLiveHours").hasLineCount(2);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CsvInventory.FILE_NAME), old, StandardCharsets.UTF_8);

        // when
        CsvInventory inventory = new CsvInventory(dir);

        // then: the row has no time-to-live, and the file already has the current header and cells
        assertThat(inventory.all()).containsExactly(row);
        assertThat(inventory.all().get(0).request().timeToLiveHours()).isNull();
        assertThat(Files.readString(inventory.file(), StandardCharsets.UTF_8)).isEqualTo(current);
        assertThat(Files.readAllLines(inventory.file()).get(0)).contains("\"tags\",\"timeToLiveHours\",\"approvedBy\"");
    }

    @Test
    void aFileInTheLayoutBeforeProductsLoadsAsEc2RowsWithoutParametersOrOutputsAndIsRewrittenOnStart()
            throws IOException {
        // given: the pinned row as the previous version wrote it
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CsvInventory.FILE_NAME), PREVIOUS_LAYOUT, StandardCharsets.UTF_8);

        // when
        CsvInventory inventory = new CsvInventory(dir);

        // then: an EC2 row with every column it had, no parameters, no outputs
        InventoryRow row = inventory.find("0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b").orElseThrow();
        assertThat(row.request().product()).isEqualTo("ec2-instance");
        assertThat(row.request().parameters()).isEmpty();
        assertThat(row.outputs()).isEmpty();
        assertThat(row.instanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(row.approvedBy()).isEqualTo("=alice");
        assertThat(row.request().timeToLiveHours()).isEqualTo(168);
        // then: the file is rewritten with the current columns, the new cells of the row filled
        String rewritten = Files.readString(inventory.file(), StandardCharsets.UTF_8);
        assertThat(rewritten).isEqualTo(CsvInventory.render(List.of(row)));
        assertThat(rewritten.lines().findFirst().orElseThrow()).endsWith("\"product\",\"parameters\",\"outputs\"");
        assertThat(rewritten.lines().skip(1).findFirst().orElseThrow()).endsWith(",\"ec2-instance\",\"{}\",\"{}\"");
        assertThat(new CsvInventory(dir).all()).containsExactly(row);
    }

    @Test
    void anAuroraRowWithItsParametersAndOutputsIsReloadedAsWritten() throws IOException {
        // given: a provisioned Aurora cluster; its outputs as the build reported them (a number, a joined list)
        Map<String, String> outputs = new LinkedHashMap<>();
        String id = "0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
        outputs.put("cluster_identifier", "oneclick-" + id);
        outputs.put("cluster_name", "orders-db");
        outputs.put("endpoint", "oneclick-" + id + ".cluster-902653d16edf.eu-west-1.rds.amazonaws.com");
        outputs.put("reader_endpoint", "oneclick-" + id + ".cluster-ro-902653d16edf.eu-west-1.rds.amazonaws.com");
        outputs.put("port", "3306");
        outputs.put("master_user_secret_arn", "arn:aws:secretsmanager:eu-west-1:000000000000:secret:rds!cluster-x");
        outputs.put("availability_zones", "eu-west-1a, eu-west-1b");
        InventoryRow row = InventoryRow.approved(id, Fixtures.auroraRequest("orders-db"), "alice", Fixtures.T0)
                .pushed("0123456789abcdef0123456789abcdef01234567", Fixtures.T0.plusSeconds(1))
                .building("local-1", Fixtures.T0.plusSeconds(2))
                .provisioned("oneclick-" + id, "orders-db", null, null, outputs, Fixtures.T0.plusSeconds(3));
        CsvInventory inventory = new CsvInventory(dir);

        // when
        inventory.save(row);
        CsvInventory reloaded = new CsvInventory(dir);

        // then
        InventoryRow back = reloaded.find(id).orElseThrow();
        assertThat(back).isEqualTo(row);
        assertThat(back.request().product()).isEqualTo("aurora-mysql");
        assertThat(back.request().subnetId()).isNull();
        assertThat(back.request().rootVolumeGiB()).isNull();
        assertThat(back.request().parameters()).containsExactlyEntriesOf(row.request().parameters());
        assertThat(back.outputs()).containsExactlyEntriesOf(outputs);
        assertThat(back.privateIp()).isNull();
        Map<String, String> cells = new LinkedHashMap<>();
        List<List<String>> records = rawRecords(Files.readString(inventory.file(), StandardCharsets.UTF_8));
        for (int i = 0; i < records.get(0).size(); i++) {
            cells.put(records.get(0).get(i), records.get(1).get(i));
        }
        assertThat(cells).containsEntry("product", "aurora-mysql")
                .containsEntry("subnetId", "")
                .containsEntry("parameters", "{\"subnetIds\":\"subnet-0a1b2c3d,subnet-1a2b3c4d\","
                        + "\"instanceClass\":\"db.t4g.medium\",\"engineVersion\":\"8.0.mysql_aurora.3.08.0\","
                        + "\"instances\":\"2\",\"databaseName\":\"orders\",\"masterUsername\":\"admin\","
                        + "\"backupRetentionDays\":\"7\"}")
                .containsEntry("instanceId", "oneclick-" + id);
        assertThat(cells.get("outputs")).startsWith("{\"cluster_identifier\":").contains("\"port\":\"3306\"",
                "\"availability_zones\":\"eu-west-1a, eu-west-1b\"");
    }

    @Test
    void aTimeToLiveIsReloadedAsWritten() {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow row = InventoryRow.approved(RequestIds.newId(), withTimeToLive(Fixtures.request("web-1"), 2160),
                "alice", Fixtures.T0);

        // when
        inventory.save(row);

        // then
        assertThat(new CsvInventory(dir).find(row.requestId()).orElseThrow().request().timeToLiveHours())
                .isEqualTo(2160);
    }

    @Test
    void onlyRowsWithWorkLeftAreUnfinished() {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow waiting = Fixtures.row("waiting");
        InventoryRow done = Fixtures.row("done").failed("apply", "Error", Fixtures.T0).outcomePublished(Fixtures.T0);
        InventoryRow unpublished = Fixtures.row("unpublished").failed("apply", "Error", Fixtures.T0);

        // when
        inventory.saveAll(List.of(waiting, done, unpublished));

        // then
        assertThat(inventory.unfinished()).containsExactly(waiting, unpublished);
        assertThat(new CsvInventory(dir).unfinished()).containsExactly(waiting, unpublished);
        assertThat(inventory.size()).isEqualTo(3);
    }

    @Test
    void everyStepOfARowIsReloadedAsWritten() {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow approved = Fixtures.row("web-1");
        InventoryRow provisioned = approved.pushed("0123456789abcdef0123456789abcdef01234567", Fixtures.T0)
                .building("local-1", Fixtures.T0.plusSeconds(1))
                .provisioned("i-0123456789abcdef0", "web-1", "10.1.2.3", "eu-west-1a", EC2_OUTPUTS,
                        Fixtures.T0.plusSeconds(2))
                .outcomePublished(Fixtures.T0.plusSeconds(3));
        InventoryRow other = Fixtures.row("web-2").failed("apply", "Error: boom\n\nmore", Fixtures.T0.plusSeconds(4));

        // when
        inventory.save(approved);
        inventory.save(other);
        inventory.save(provisioned);

        // then
        CsvInventory reloaded = new CsvInventory(dir);
        assertThat(reloaded.all()).containsExactly(provisioned, other);
        assertThat(reloaded.find(approved.requestId())).contains(provisioned);
        assertThat(reloaded.all().get(0).request().securityGroupIds()).containsExactly("sg-0a1b2c3d", "sg-11112222");
        assertThat(reloaded.all().get(0).request().tags()).containsExactly(Map.entry("team", "platform"),
                Map.entry("cost-center", "42"));
    }

    @Test
    void nullAndEmptyStayApart() {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow row = Fixtures.row("web-1").failed("", "", Fixtures.T0);

        // when
        inventory.save(row);

        // then
        InventoryRow reloaded = new CsvInventory(dir).find(row.requestId()).orElseThrow();
        assertThat(reloaded.failureReason()).isEmpty();
        assertThat(reloaded.commitId()).isNull();
    }

    @Test
    void aTempFileLeftByACrashDoesNotBreakLoading() throws IOException {
        // given
        CsvInventory inventory = new CsvInventory(dir);
        InventoryRow row = Fixtures.row("web-1");
        inventory.save(row);
        Path leftover = dir.resolve(CsvInventory.FILE_NAME + ".123456.tmp");
        Files.writeString(leftover, "\"requestId\",\"sta");

        // when
        CsvInventory reloaded = new CsvInventory(dir);

        // then
        assertThat(reloaded.all()).containsExactly(row);
        assertThat(leftover).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CsvInventory.FILE_NAME);
        }
    }

    @Test
    void startsEmptyWithoutAFile() {
        // when
        CsvInventory inventory = new CsvInventory(dir.resolve("new"));

        // then
        assertThat(inventory.all()).isEmpty();
        assertThat(inventory.find(RequestIds.newId())).isEmpty();
    }

    /** A row with the value in every text cell: request fields, product, parameters, outputs and results. */
    private static InventoryRow rowWith(String hostile) {
        InstanceRequest base = Fixtures.request(hostile);
        Map<String, String> tags = new LinkedHashMap<>(base.tags());
        tags.put("note", hostile);
        InstanceRequest request = new InstanceRequest(hostile, base.requesterEmail(), base.region(), base.vpcId(),
                base.subnetId(), base.instanceType(), base.amiId(), hostile, base.rootVolumeGiB(),
                base.securityGroupIds(), tags, null, hostile, Map.of(hostile, hostile));
        return InventoryRow.approved(RequestIds.newId(), request, hostile, Fixtures.T0)
                .provisioned(hostile, hostile, hostile, hostile, Map.of(hostile, hostile), Fixtures.T0)
                .failed(hostile, hostile, Fixtures.T0);
    }

    private static List<List<String>> rawRecords(String text) throws IOException {
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(CSVFormat.RFC4180)
                .get()) {
            return parser.stream().map(CSVRecord::toList).toList();
        }
    }

    private static InstanceRequest withTimeToLive(InstanceRequest r, Integer hours) {
        return new InstanceRequest(r.name(), r.requesterEmail(), r.region(), r.vpcId(), r.subnetId(),
                r.instanceType(), r.amiId(), r.keyName(), r.rootVolumeGiB(), r.securityGroupIds(), r.tags(), hours);
    }

    private static List<String> rawCells(String text) throws IOException {
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(CSVFormat.RFC4180)
                .get()) {
            return parser.stream().flatMap(CSVRecord::stream).toList();
        }
    }
}
