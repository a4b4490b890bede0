package com.oneclick.notifier;

import com.oneclick.notifier.mail.HeaderValues;
import com.oneclick.notifier.mail.Html;
import com.oneclick.notifier.mail.MailComposer;
import com.oneclick.notifier.mail.MailTemplates;
import com.oneclick.notifier.mail.Template;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The use case ({@link Notifications}) and its ports (every class of the top package but the
 * Micronaut wiring) stay free of frameworks and infrastructure: no Micronaut, dependency injection,
 * Kafka, JavaMail, Jackson, files or streams. Past its ports the use case reaches only the mail
 * composer (templates in, text out), which is held to the same rule except that it reads its
 * templates from the class path.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.oneclick.notifier");

    private static final String[] FRAMEWORKS_AND_INFRASTRUCTURE = {
            "io.micronaut..", "jakarta.inject..", "org.springframework..",
            "org.apache.kafka..",
            "jakarta.mail..", "javax.mail..", "org.eclipse.angus..", "com.sun.mail..",
            "com.fasterxml.jackson..",
            "java.nio.file..", "java.nio.channels.."};

    private static final DescribedPredicate<JavaClass> CORE = describe(
            "are the use case or its ports (the top package without the Micronaut wiring)",
            c -> c.getPackageName().equals("com.oneclick.notifier") && !isWiring(c));

    private static final DescribedPredicate<JavaClass> MAIL_COMPOSER = describe(
            "are the mail composer or its templates",
            c -> isAnyOf(c, MailComposer.class, MailTemplates.class, MailTemplates.Set.class, Template.class,
                    Html.class, HeaderValues.class));

    @Test
    void theUseCaseAndItsPortsUseNoFrameworkKafkaMailOrFileType() {
        ArchRule rule = noClasses().that(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS_AND_INFRASTRUCTURE)
                .orShould().dependOnClassesThat().resideInAnyPackage("java.io..");
        rule.check(CLASSES);
    }

    @Test
    void theUseCaseTalksToItsPortsAndTheMailComposerNotToAdapters() {
        ArchRule rule = noClasses().that().belongToAnyOf(Notifications.class)
                .should().dependOnClassesThat(describe("are adapters (any other notifier class)",
                        c -> c.getPackageName().startsWith("com.oneclick.notifier")
                                && !CORE.test(c) && !MAIL_COMPOSER.test(c)));
        rule.check(CLASSES);
    }

    @Test
    void theMailComposerUsesNoFrameworkKafkaMailOrFileType() {
        ArchRule rule = noClasses().that(MAIL_COMPOSER)
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS_AND_INFRASTRUCTURE)
                .orShould().dependOnClassesThat(describe("are java.io file types",
                        c -> c.getPackageName().equals("java.io") && c.getSimpleName().contains("File")));
        rule.check(CLASSES);
    }

    /** The main class, the factory, and the bean definitions Micronaut generates for them ({@code $...}). */
    private static boolean isWiring(JavaClass c) {
        return isAnyOf(c, NotifierApplication.class, NotifierFactory.class)
                || c.getName().startsWith("com.oneclick.notifier.$");
    }

    private static boolean isAnyOf(JavaClass c, Class<?>... classes) {
        for (Class<?> candidate : classes) {
            if (c.isEquivalentTo(candidate)) {
                return true;
            }
        }
        return false;
    }
}
