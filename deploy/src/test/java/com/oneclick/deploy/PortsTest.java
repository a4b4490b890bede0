package com.oneclick.deploy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortsTest {

    @Test
    void portInUseIsReportedWithItsOwnerAndTheVariableThatMovesIt() throws Exception {
        // given a port something listens on
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            // when the stack checks it, then the message names the port, its owner and the variable
            assertThatThrownBy(() -> Ports.requireFree(List.of(
                    new Ports.Claim(Ports.freePort(), "Kafka broker", "ONECLICK_KAFKA_PORT"),
                    new Ports.Claim(port, "request-service", "ONECLICK_REQUEST_PORT"))))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("port " + port + " (request-service) is already in use; stop what uses it or set "
                            + "ONECLICK_REQUEST_PORT");
        }
    }

    @Test
    void portListenedOnByEveryInterfaceIsNotFree() throws Exception {
        // given a server on the wildcard address
        try (ServerSocket busy = new ServerSocket(0)) {
            // when / then
            assertThat(Ports.isFree(busy.getLocalPort())).isFalse();
        }
    }

    @Test
    void freePortCanBeBound() throws Exception {
        // given
        int port = Ports.freePort();

        // when / then
        assertThat(Ports.isFree(port)).isTrue();
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void twoClaimsOnOnePortAreRefusedBeforeAnyCheck() {
        // given the same port configured twice
        List<Ports.Claim> claims = List.of(
                new Ports.Claim(9092, "Kafka broker", "ONECLICK_KAFKA_PORT"),
                new Ports.Claim(9092, "request-service", "ONECLICK_REQUEST_PORT"));

        // when / then
        assertThatThrownBy(() -> Ports.requireFree(claims))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("configured for both Kafka broker and request-service");
    }
}
