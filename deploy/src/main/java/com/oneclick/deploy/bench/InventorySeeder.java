package com.oneclick.deploy.bench;

import com.oneclick.deploy.RemoteRepository;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectDatabase;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the provisioner an existing inventory before it starts: {@code rows} stacks
 * ({@code stacks/<id>/terraform.tfvars.json}) committed in one commit on the bare remote's branch,
 * and the same rows, {@code PROVISIONED}, in {@code <provisioner data dir>/inventory.csv}. Objects
 * go into one pack (a hundred thousand loose objects would take minutes to write).
 */
public final class InventorySeeder {

    public static final String INVENTORY_FILE = "inventory.csv";

    /** What was seeded. */
    public record Seeded(int rows, String commitId, Path inventoryFile) {
    }

    private InventorySeeder() {
    }

    public static Seeded seed(Path remote, String branch, Path provisionerDataDir, int rows) {
        RemoteRepository.ensureBare(remote);
        Instant at = Instant.now();
        List<String> ids = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            ids.add(RequestIds.newId());
        }
        ids.sort(String::compareTo); // tree entries must be in name order
        try {
            String commitId = rows == 0 ? null : commitStacks(remote, branch, ids, rows);
            Path file = provisionerDataDir.resolve(INVENTORY_FILE);
            Files.createDirectories(provisionerDataDir);
            Path temp = provisionerDataDir.resolve(INVENTORY_FILE + ".seed.tmp");
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                SeedInventoryCsv.writeHeader(out);
                for (int i = 0; i < rows; i++) {
                    SeedInventoryCsv.writeRow(out, new SeedInventoryCsv.Row(ids.get(i), request(i), commitId, i, at));
                }
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Seeded(rows, commitId, file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not seed the inventory: " + e.getMessage(), e);
        }
    }

    static InstanceRequest request(int n) {
        return BenchRequests.request("seed", n);
    }

    private static String commitStacks(Path remote, String branch, List<String> ids, int rows) throws IOException {
        try (Repository repository = new FileRepositoryBuilder().setGitDir(remote.toFile()).setMustExist(true).build();
             ObjectInserter inserter = inserter(repository)) {
            TreeFormatter stacks = new TreeFormatter();
            ObjectId stackJson = inserter.insert(Constants.OBJ_BLOB, BenchRequests.stackJson(request(0)));
            for (int i = 0; i < rows; i++) {
                String id = ids.get(i);
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, BenchRequests.tfvars(id, request(i)));
                TreeFormatter stack = new TreeFormatter();
                // tree entries in name order: stack.json, then terraform.tfvars.json
                stack.append(BenchRequests.STACK_FILE, FileMode.REGULAR_FILE, stackJson);
                stack.append(BenchRequests.TFVARS, FileMode.REGULAR_FILE, blob);
                stacks.append(id, FileMode.TREE, inserter.insert(stack));
            }
            TreeFormatter root = new TreeFormatter();
            root.append("stacks", FileMode.TREE, inserter.insert(stacks));
            ObjectId tree = inserter.insert(root);

            String ref = Constants.R_HEADS + branch;
            ObjectId parent = repository.resolve(ref);
            PersonIdent who = new PersonIdent("OneClick bench", "bench@oneclick.local");
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("Seed " + rows + " existing stacks for the benchmark\n");
            ObjectId commitId = inserter.insert(commit);
            inserter.flush();

            RefUpdate update = repository.updateRef(ref);
            update.setNewObjectId(commitId);
            update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
            update.setRefLogMessage("bench: seed", false);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
                throw new IOException("could not move " + ref + " to the seed commit: " + result);
            }
            return commitId.name();
        }
    }

    private static ObjectInserter inserter(Repository repository) {
        ObjectDatabase db = repository.getObjectDatabase();
        return db instanceof ObjectDirectory dir ? dir.newPackInserter() : db.newInserter();
    }
}
