package com.oneclick.provisioner;

import com.oneclick.provisioner.build.BuildStatus;
import com.oneclick.provisioner.build.BuildSystem;
import com.oneclick.provisioner.build.InstanceOutputs;
import com.oneclick.provisioner.events.EventSink;
import com.oneclick.provisioner.git.StackPushException;
import com.oneclick.provisioner.git.StackStore;
import com.oneclick.provisioner.inventory.Inventory;
import com.oneclick.provisioner.inventory.InventoryRow;
import com.oneclick.provisioner.inventory.RowStatus;
import com.oneclick.provisioner.stack.StackWriter;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The use case and its ports stay free of frameworks and infrastructure: no Spring, Kafka, JGit,
 * Jackson, Commons CSV, file paths or processes. The use case also never reaches past a port to
 * an adapter.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.oneclick.provisioner");

    private static final Class<?>[] CORE = {Provisioning.class, Provisioning.Settings.class, Checkpoint.class, Inventory.class,
            InventoryRow.class, RowStatus.class, StackWriter.class, StackStore.class, StackPushException.class,
            BuildSystem.class, BuildStatus.class, BuildStatus.Running.class, BuildStatus.Succeeded.class,
            BuildStatus.Failed.class, InstanceOutputs.class, EventSink.class};

    @Test
    void theUseCaseAndItsPortsUseNoFrameworkOrInfrastructureType() {
        ArchRule rule = noClasses().that(core())
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "org.apache.kafka..", "org.eclipse.jgit..", "org.apache.commons.csv..",
                        "com.fasterxml.jackson..", "java.nio.file..", "java.nio.channels..", "java.io..",
                        "com.oneclick.spring..")
                .orShould().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class, Process.class);
        rule.check(CLASSES);
    }

    @Test
    void theUseCaseTalksToPortsNotAdapters() {
        ArchRule rule = noClasses().that().belongToAnyOf(Provisioning.class)
                .should().dependOnClassesThat(describe("an adapter (a provisioner class outside the core)",
                        (JavaClass c) -> c.getPackageName().startsWith("com.oneclick.provisioner") && !isCore(c)));
        rule.check(CLASSES);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> core() {
        return describe("the use case or a port", ArchitectureTest::isCore);
    }

    /** A core class, or one nested in it (the use case's own private helpers). */
    private static boolean isCore(JavaClass c) {
        for (Class<?> core : CORE) {
            if (c.isEquivalentTo(core) || c.getName().startsWith(core.getName() + "$")) {
                return true;
            }
        }
        return false;
    }
}
