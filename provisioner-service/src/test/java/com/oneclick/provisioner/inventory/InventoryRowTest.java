package com.oneclick.provisioner.inventory;

import com.oneclick.model.InstanceRequest;
import com.oneclick.provisioner.support.Fixtures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each step sets its own columns and keeps everything else, the request above all. */
class InventoryRowTest {

    private static final String ID = "0b8f5a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final InstanceRequest REQUEST = Fixtures.request("web-1");
    private static final Instant T1 = Fixtures.T0.plusSeconds(1);
    private static final Instant T2 = Fixtures.T0.plusSeconds(2);
    private static final Instant T3 = Fixtures.T0.plusSeconds(3);
    private static final Instant T4 = Fixtures.T0.plusSeconds(4);
    private static final Map<String, String> OUTPUTS = Fixtures.ec2Outputs("i-1");

    @Test
    void theWayToAnInstanceFillsOneStepAfterTheOther() {
        // given
        InventoryRow approved = InventoryRow.approved(ID, REQUEST, "alice", Fixtures.T0);

        // when
        InventoryRow pushed = approved.pushed("commit-1", T1);
        InventoryRow building = pushed.building("build-1", T2);
        InventoryRow provisioned = building.provisioned("i-1", "web-1", "10.1.2.3", "eu-west-1a", OUTPUTS, T3);
        InventoryRow published = provisioned.outcomePublished(T4);

        // then
        assertThat(approved).isEqualTo(new InventoryRow(ID, RowStatus.APPROVED, REQUEST, "alice", null, null, null,
                null, null, null, Map.of(), null, null, Fixtures.T0, Fixtures.T0, null));
        assertThat(pushed).isEqualTo(new InventoryRow(ID, RowStatus.PUSHED, REQUEST, "alice", "commit-1", null, null,
                null, null, null, Map.of(), null, null, Fixtures.T0, T1, null));
        assertThat(building).isEqualTo(new InventoryRow(ID, RowStatus.BUILDING, REQUEST, "alice", "commit-1",
                "build-1", null, null, null, null, Map.of(), null, null, Fixtures.T0, T2, null));
        assertThat(provisioned).isEqualTo(new InventoryRow(ID, RowStatus.PROVISIONED, REQUEST, "alice", "commit-1",
                "build-1", "i-1", "web-1", "10.1.2.3", "eu-west-1a", OUTPUTS, null, null, Fixtures.T0, T3, null));
        assertThat(published).isEqualTo(new InventoryRow(ID, RowStatus.PROVISIONED, REQUEST, "alice", "commit-1",
                "build-1", "i-1", "web-1", "10.1.2.3", "eu-west-1a", OUTPUTS, null, null, Fixtures.T0, T4, T4));
        assertThat(published.outputs().keySet()).containsExactly("instance_id", "instance_name", "private_ip",
                "availability_zone");
    }

    @Test
    void aFailureKeepsWhatWasDoneAndItsPublicationKeepsTheStatus() {
        // given
        InventoryRow building = InventoryRow.approved(ID, REQUEST, "alice", Fixtures.T0).pushed("commit-1", T1)
                .building("build-1", T2);

        // when
        InventoryRow failed = building.failed("apply", "Error: boom", T3);
        InventoryRow published = failed.outcomePublished(T4);

        // then
        assertThat(failed).isEqualTo(new InventoryRow(ID, RowStatus.FAILED, REQUEST, "alice", "commit-1", "build-1",
                null, null, null, null, Map.of(), "Error: boom", "apply", Fixtures.T0, T3, null));
        assertThat(published).isEqualTo(new InventoryRow(ID, RowStatus.FAILED, REQUEST, "alice", "commit-1",
                "build-1", null, null, null, null, Map.of(), "Error: boom", "apply", Fixtures.T0, T4, T4));
    }

    @Test
    void aRowWithoutItsRequestIsRefused() {
        // when / then
        assertThatThrownBy(() -> InventoryRow.approved(ID, null, "alice", Fixtures.T0))
                .isInstanceOf(NullPointerException.class).hasMessage("request");
    }
}
