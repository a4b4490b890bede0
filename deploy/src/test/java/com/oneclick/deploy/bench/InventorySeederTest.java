package com.oneclick.deploy.bench;

import com.oneclick.model.RequestIds;
import com.oneclick.provisioner.inventory.CsvInventory;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.inventory.RowStatus;
import com.oneclick.provisioner.stack.TfvarsWriter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class InventorySeederTest {

    @TempDir
    Path dir;

    @Test
    void seededCsvIsReadByTheProvisionersOwnInventoryAsProvisionedAndPublishedRows() throws Exception {
        // given
        Path remote = dir.resolve("remote.git");
        Path data = dir.resolve("provisioner-service");

        // when
        InventorySeeder.Seeded seeded = InventorySeeder.seed(remote, "main", data, 3);

        // then the provisioner's CsvInventory (the layout's owner) reads every row back
        List<InventoryRow> rows = new CsvInventory(data).all();
        assertThat(rows).hasSize(3);
        for (InventoryRow row : rows) {
            assertThat(RequestIds.isValid(row.requestId())).isTrue();
            assertThat(row.status()).isEqualTo(RowStatus.PROVISIONED);
            assertThat(row.outcomePublishedAt()).isNotNull();
            assertThat(row.commitId()).isEqualTo(seeded.commitId());
            assertThat(row.request().requesterEmail()).isEqualTo(BenchRequests.REQUESTER);
            assertThat(row.request().tags()).containsEntry("team", "bench");
            assertThat(row.request().securityGroupIds()).containsExactly("sg-0a1b2c3d");
            assertThat(row.instanceId()).matches("i-[0-9a-f]{17}");
        }
    }

    @Test
    void everySeededRowHasItsStackInOneCommitAsTheProvisionerWouldWriteIt() throws Exception {
        // given
        Path remote = dir.resolve("remote.git");
        Path data = dir.resolve("provisioner-service");

        // when
        InventorySeeder.Seeded seeded = InventorySeeder.seed(remote, "main", data, 3);

        // then the commit holds each row's stack files, byte for byte what the provisioner's
        // TfvarsWriter makes of the row (so the provisioner never sees them as changed)
        Map<String, byte[]> expected = new TreeMap<>();
        for (InventoryRow row : new CsvInventory(data).all()) {
            new TfvarsWriter().stackFiles(row).forEach((file, bytes) ->
                    expected.put("stacks/" + row.requestId() + "/" + file, bytes));
        }
        try (Repository repository = new FileRepositoryBuilder().setGitDir(remote.toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(repository)) {
            ObjectId head = repository.resolve("refs/heads/main");
            assertThat(head.name()).isEqualTo(seeded.commitId());
            RevCommit commit = walk.parseCommit(head);
            assertThat(commit.getParentCount()).isZero();
            Map<String, byte[]> committed = new TreeMap<>();
            try (TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(commit.getTree());
                tree.setRecursive(true);
                while (tree.next()) {
                    committed.put(tree.getPathString(), repository.open(tree.getObjectId(0)).getBytes());
                }
            }
            assertThat(committed.keySet()).containsExactlyElementsOf(expected.keySet()).hasSize(6);
            expected.forEach((path, bytes) -> assertThat(new String(committed.get(path), StandardCharsets.UTF_8))
                    .as(path).isEqualTo(new String(bytes, StandardCharsets.UTF_8)));
        }
    }

    @Test
    void noRowsGiveAnInventoryWithOnlyTheHeaderAndNoCommit() throws Exception {
        // when
        InventorySeeder.Seeded seeded = InventorySeeder.seed(dir.resolve("remote.git"), "main",
                dir.resolve("data"), 0);

        // then
        assertThat(seeded.commitId()).isNull();
        assertThat(Files.readString(seeded.inventoryFile())).startsWith("\"requestId\",\"status\",").hasLineCount(1);
        assertThat(new CsvInventory(dir.resolve("data")).all()).isEmpty();
    }
}
