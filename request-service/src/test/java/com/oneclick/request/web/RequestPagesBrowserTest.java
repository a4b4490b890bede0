package com.oneclick.request.web;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.Topics;
import com.oneclick.model.events.BuildStarted;
import com.oneclick.model.events.InstanceProvisioned;
import com.oneclick.model.events.NotificationSent;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestEvent;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.model.events.StackPushed;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The pages in a real headless Chromium against the running service and a real Kafka broker:
 * what a requester sees and does. Also saves the README's screenshots under
 * {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "oneclick.form.status-poll=300ms",
        // its own consumer group: applications of other test classes may still run in this JVM
        "spring.cloud.stream.bindings.statusView-in-0.group=oneclick-request-status-browser-test"})
@DirtiesContext
class RequestPagesBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
    }

    @TempDir
    static Path profile;

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(profile);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void emptyForm() {
        browser.manage().deleteAllCookies();
        browser.get(url("/"));
    }

    @Test
    void validRequestSubmittedThroughTheFormLandsOnItsStatusPage() {
        // given a filled form
        String name = "form-agent-" + UUID.randomUUID().toString().substring(0, 8);
        fillValid(name);
        new Select(browser.findElement(By.id("instanceType"))).selectByValue("t3.small");
        type(browser.findElement(By.id("tag-key-0")), "team");
        type(browser.findElement(By.id("tag-value-0")), "payments");
        type(browser.findElement(By.id("timeToLiveHours")), "168");
        Browser.screenshot(browser, "form", 900);

        // when
        browser.findElement(By.id("submit")).click();

        // then
        waitUntil(() -> browser.getCurrentUrl().matches(".*/requests/[0-9a-f-]{36}$"));
        String id = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        assertThat(browser.findElement(By.id("request-name")).getText()).isEqualTo(name);
        assertThat(browser.findElement(By.id("status-label")).getText()).isEqualTo("Waiting for approval");
        assertThat(stepState("SUBMITTED")).isEqualTo("done");
        assertThat(stepState("APPROVED")).isEqualTo("current");
        assertThat(browser.findElement(By.id("time-to-live-value")).getText()).isEqualTo("168 hours (1 week)");

        List<RequestEvent> published = KafkaTestClient.recordsFor(Topics.REQUESTED, id).stream()
                .map(KafkaTestClient::decode).toList();
        assertThat(published).singleElement().isInstanceOfSatisfying(RequestSubmitted.class, submitted -> {
            assertThat(submitted.request().name()).isEqualTo(name);
            assertThat(submitted.request().instanceType()).isEqualTo("t3.small");
            assertThat(submitted.request().amiId()).isEqualTo("ami-0a1b2c3d4e5f60001"); // Amazon Linux, eu-west-1
            assertThat(submitted.request().tags()).containsEntry("team", "payments");
            assertThat(submitted.request().timeToLiveHours()).isEqualTo(168);
        });
    }

    @Test
    void threeBadFieldsShowThreeMessagesNextToThemAndKeepEveryOtherValue() {
        // given a form with three values the rules refuse, sent without the browser's own checks
        // (they are hints; the server decides)
        String name = "bad-agent-" + UUID.randomUUID().toString().substring(0, 8);
        fillValid(name);
        type(browser.findElement(By.id("vpcId")), "vpc-nothex");
        type(browser.findElement(By.id("subnetId")), "subnet-123");
        type(browser.findElement(By.id("rootVolumeGiB")), "4");
        browser.executeScript("document.getElementById('request-form').noValidate = true;");

        // when
        browser.findElement(By.id("submit")).click();

        // then
        waitUntil(() -> !browser.findElements(By.id("error-summary")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("p.error"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#error-summary li"))).hasSize(3);
        assertThat(browser.findElement(By.id("vpcId-error")).getText()).contains("must be a VPC ID");
        assertThat(browser.findElement(By.id("subnetId-error")).getText()).contains("must be a subnet ID");
        assertThat(browser.findElement(By.id("rootVolumeGiB-error")).getText()).contains("between 8 and 2048");
        assertThat(browser.findElement(By.id("vpcId")).getDomAttribute("aria-describedby"))
                .isEqualTo("vpcId-hint vpcId-error");
        assertThat(browser.findElement(By.id("vpcId")).getDomAttribute("aria-invalid")).isEqualTo("true");

        assertThat(value("name")).isEqualTo(name);
        assertThat(value("requesterEmail")).isEqualTo("dev@example.com");
        assertThat(value("keyName")).isEqualTo("dev-laptop");
        assertThat(value("region")).isEqualTo("eu-west-1");
        assertThat(value("vpcId")).isEqualTo("vpc-nothex");
        assertThat(value("rootVolumeGiB")).isEqualTo("4");
        assertThat(browser.getCurrentUrl()).endsWith("/requests");
    }

    @Test
    void aNameThatIsMarkupIsShownAsTextAndNeverRun() {
        // given
        String name = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        fillValid(name);

        // when
        browser.findElement(By.id("submit")).click();

        // then
        waitUntil(() -> browser.getCurrentUrl().matches(".*/requests/[0-9a-f-]{36}$"));
        assertThat(browser.findElement(By.id("request-name")).getText()).isEqualTo(name);
        assertThat(browser.getTitle()).startsWith("Request " + name);
        assertThat(browser.findElements(By.cssSelector("main script, main img"))).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void statusPageMovesToProvisionedWithoutAReloadWhenTheFlowCompletes() {
        // given a request on its status page, marked so that a reload would show
        String name = "flow-agent-" + UUID.randomUUID().toString().substring(0, 8);
        fillValid(name);
        browser.findElement(By.id("submit")).click();
        waitUntil(() -> browser.getCurrentUrl().matches(".*/requests/[0-9a-f-]{36}$"));
        String id = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        InstanceRequest request = ((RequestSubmitted) KafkaTestClient.decode(
                KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0))).request();
        browser.executeScript("window.samePage = 'yes';");

        // when the rest of the flow happens on the topics
        RequestApproved approved = RequestApproved.of(id, "alice", "ok for the sprint", request);
        KafkaTestClient.publish(approved);
        waitUntil(() -> "APPROVED".equals(status()));
        KafkaTestClient.publish(StackPushed.of(id, "9fceb02d0ae598e95dc970b74767f19372d61af8", "main",
                "stacks/" + id));
        KafkaTestClient.publish(BuildStarted.of(id, "local-" + id, "local"));
        InstanceProvisioned provisioned = InstanceProvisioned.of(id, "i-0a1b2c3d4e5f67890", name, "10.0.12.34",
                "eu-west-1b", true, "9fceb02d0ae598e95dc970b74767f19372d61af8", "local-" + id, request);
        KafkaTestClient.publish(provisioned);
        KafkaTestClient.publish(NotificationSent.of(id, "PROVISIONED", provisioned.eventId(), "dev@example.com"));

        // then
        waitUntil(() -> "PROVISIONED".equals(status()) && "done".equals(stepState("EMAILED")));
        assertThat(browser.findElement(By.id("status-label")).getText()).isEqualTo("Provisioned");
        assertThat(browser.findElements(By.cssSelector("#steps li")).stream()
                .map(li -> li.getDomAttribute("data-step") + ":" + li.getDomAttribute("data-state")))
                .containsExactly("SUBMITTED:done", "APPROVED:done", "PUSHED:done", "BUILDING:done",
                        "PROVISIONED:done", "EMAILED:done");
        assertThat(browser.findElements(By.cssSelector("#steps li time"))).hasSize(6);
        assertThat(browser.findElement(By.id("output-instance_id")).getText()).isEqualTo("i-0a1b2c3d4e5f67890");
        assertThat(browser.findElement(By.id("output-private_ip")).getText()).isEqualTo("10.0.12.34");
        assertThat(browser.findElement(By.id("instance-simulated")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("live-note")).isDisplayed()).isFalse();
        assertThat(browser.executeScript("return window.samePage;")).isEqualTo("yes");
        Browser.screenshot(browser, "status", 900);
    }

    @Test
    void auroraClusterIsChosenCorrectedAfterABadParameterAndFollowedToItsOutputs() {
        // given the Aurora form, chosen at the top of the page, with one parameter out of range
        new Select(browser.findElement(By.id("product-choice"))).selectByValue("aurora-mysql");
        browser.findElement(By.id("choose-product")).click();
        waitUntil(() -> browser.getCurrentUrl().endsWith("/?product=aurora-mysql"));
        assertThat(browser.findElement(By.id("product-title")).getText()).isEqualTo("Aurora MySQL cluster");
        assertThat(browser.findElements(By.id("keyName"))).isEmpty();
        String name = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        type(browser.findElement(By.id("name")), name);
        type(browser.findElement(By.id("requesterEmail")), "dev@example.com");
        type(browser.findElement(By.id("vpcId")), "vpc-0a1b2c3d");
        type(browser.findElement(By.id("parameter-subnetIds")), "subnet-0a1b2c3d, subnet-1a2b3c4d");
        new Select(browser.findElement(By.id("parameter-instanceClass"))).selectByValue("db.r6g.large");
        type(browser.findElement(By.id("parameter-instances")), "5");
        type(browser.findElement(By.id("parameter-databaseName")), "orders");
        browser.executeScript("document.getElementById('request-form').noValidate = true;");

        // when
        browser.findElement(By.id("submit")).click();

        // then the one message stands next to its field and every value is kept
        waitUntil(() -> !browser.findElements(By.id("error-summary")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("p.error"))).hasSize(1);
        assertThat(browser.findElement(By.id("parameter-instances-error")).getText())
                .contains("must be a whole number from 1 to 3");
        assertThat(browser.findElement(By.id("parameter-instances")).getDomAttribute("aria-describedby"))
                .isEqualTo("parameter-instances-hint parameter-instances-error");
        assertThat(value("parameter-instances")).isEqualTo("5");
        assertThat(value("parameter-subnetIds")).isEqualTo("subnet-0a1b2c3d, subnet-1a2b3c4d");
        assertThat(value("parameter-instanceClass")).isEqualTo("db.r6g.large");
        assertThat(value("parameter-databaseName")).isEqualTo("orders");
        assertThat(value("parameter-backupRetentionDays")).isEqualTo("7");
        assertThat(value("name")).isEqualTo(name);
        assertThat(browser.findElement(By.id("product-title")).getText()).isEqualTo("Aurora MySQL cluster");

        // when corrected
        type(browser.findElement(By.id("parameter-instances")), "2");
        browser.findElement(By.id("submit")).click();

        // then
        waitUntil(() -> browser.getCurrentUrl().matches(".*/requests/[0-9a-f-]{36}$"));
        String id = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        assertThat(browser.findElement(By.id("product-title")).getText()).isEqualTo("Aurora MySQL cluster");
        RequestSubmitted submitted = (RequestSubmitted) KafkaTestClient.decode(
                KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0));
        assertThat(submitted.request().product()).isEqualTo("aurora-mysql");
        assertThat(submitted.request().parameters()).containsEntry("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d")
                .containsEntry("instanceClass", "db.r6g.large").containsEntry("instances", "2");

        // when the build reports the cluster
        KafkaTestClient.publish(InstanceProvisioned.of(id, "oneclick-" + name, name, null, null, true, "c0ffee",
                "local-" + id, submitted.request(), Map.of("cluster_identifier", "oneclick-" + name,
                        "cluster_name", name, "endpoint", name + ".cluster-abc.eu-west-1.rds.amazonaws.com",
                        "port", "3306")));

        // then the page shows its outputs with their labels, without a reload
        waitUntil(() -> "PROVISIONED".equals(status()));
        waitUntil(() -> !browser.findElements(By.id("output-endpoint")).isEmpty());
        assertThat(browser.findElement(By.id("output-endpoint")).getText())
                .isEqualTo(name + ".cluster-abc.eu-west-1.rds.amazonaws.com");
        assertThat(browser.findElements(By.cssSelector("#outputs dt")).stream().map(WebElement::getText))
                .containsExactly("Cluster", "Name", "Writer endpoint", "Port");
        assertThat(browser.findElement(By.id("instance-heading")).getText()).isEqualTo("Your Aurora MySQL cluster");
    }

    @Test
    void formFitsANarrowScreenWithoutSidewaysScrolling() {
        // given
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(360, 740));
        try {
            browser.get(url("/"));

            // when
            long overflow = (Long) browser.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");

            // then
            assertThat(overflow).isLessThanOrEqualTo(0);
            assertThat(browser.findElement(By.id("submit")).isDisplayed()).isTrue();
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1000, 1400));
        }
    }

    private void fillValid(String name) {
        type(browser.findElement(By.id("name")), name);
        type(browser.findElement(By.id("requesterEmail")), "dev@example.com");
        type(browser.findElement(By.id("vpcId")), "vpc-0a1b2c3d");
        type(browser.findElement(By.id("subnetId")), "subnet-0a1b2c3d4e5f67890");
        type(browser.findElement(By.id("securityGroupIds")), "sg-0a1b2c3d");
        type(browser.findElement(By.id("keyName")), "dev-laptop");
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    private static String value(String id) {
        return browser.findElement(By.id(id)).getDomProperty("value");
    }

    private static String status() {
        return read(() -> browser.findElement(By.id("status-label")).getDomAttribute("data-status"));
    }

    private static String stepState(String step) {
        return read(() -> browser.findElement(By.cssSelector("#steps li[data-step='" + step + "']"))
                .getDomAttribute("data-state"));
    }

    /** Reads from the page, again if the page redrew the element meanwhile (it updates itself). */
    private static <T> T read(java.util.function.Supplier<T> reading) {
        return await().atMost(PATIENCE).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                .until(reading::get, value -> true);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        await().atMost(PATIENCE).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                .until(condition::getAsBoolean);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
