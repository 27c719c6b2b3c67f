package org.dl4jasync;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's "Packages" paragraph, checked on the compiled classes: no cycle between the core's packages, and each
 * package depends only on the ones the paragraph names for it.
 */
class PackageDependenciesTest {
    private static final String ROOT = "org.dl4jasync";

    /** Each package and the packages of ours it may use (DESIGN.md, "Packages"). */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("spec", Set.of()),
            Map.entry("checkpoint", Set.of()),
            Map.entry("optimizer", Set.of()),
            Map.entry("simulation", Set.of()),
            Map.entry("model", Set.of("optimizer")),
            Map.entry("stepsize", Set.of("checkpoint", "spec")),
            Map.entry("metrics", Set.of("checkpoint", "model")),
            Map.entry("parameters", Set.of("model", "spec")),
            Map.entry("dispatch", Set.of("checkpoint", "metrics", "parameters", "spec")),
            Map.entry("parallelism", Set.of("checkpoint", "dispatch", "metrics", "spec")),
            Map.entry(
                    "config",
                    Set.of(
                            "checkpoint",
                            "dispatch",
                            "metrics",
                            "model",
                            "parallelism",
                            "parameters",
                            "spec",
                            "stepsize")),
            Map.entry(
                    "trainer",
                    Set.of(
                            "checkpoint",
                            "config",
                            "dispatch",
                            "metrics",
                            "model",
                            "optimizer",
                            "parallelism",
                            "parameters",
                            "simulation",
                            "spec",
                            "stepsize")),
            Map.entry("earlystopping", Set.of("config", "trainer")));

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void thePackagesHaveNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachPackageUsesOnlyTheOnesDesignNames() {
        for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
            String own = e.getKey();
            ArchRule rule = ArchRuleDefinition.noClasses()
                    .that()
                    .resideInAPackage(ROOT + "." + own + "..")
                    .should()
                    .dependOnClassesThat(DescribedPredicate.describe(
                            "are in a package of ours that DESIGN.md does not name for " + own, (JavaClass c) -> {
                                String p = c.getPackageName();
                                if (!p.startsWith(ROOT + ".")) {
                                    return false;
                                }
                                String top = p.substring(ROOT.length() + 1).split("\\.")[0];
                                return !top.equals(own) && !e.getValue().contains(top);
                            }));
            rule.check(classes);
        }
    }

    @Test
    void everyPackageIsInTheTable() {
        Set<String> packages = new java.util.TreeSet<>();
        classes.forEach(c -> {
            String rest = c.getPackageName().substring(ROOT.length());
            if (rest.startsWith(".")) {
                packages.add(rest.substring(1).split("\\.")[0]);
            }
        });
        org.assertj.core.api.Assertions.assertThat(ALLOWED.keySet()).containsExactlyInAnyOrderElementsOf(packages);
    }
}
