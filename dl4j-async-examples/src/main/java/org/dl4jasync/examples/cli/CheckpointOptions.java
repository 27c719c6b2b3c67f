package org.dl4jasync.examples.cli;

import java.nio.file.Path;
import org.dl4jasync.config.RunConfig;
import picocli.CommandLine.Option;

/** The checkpoint options of {@code train}, applied to the run's builder (whose setters check them). */
final class CheckpointOptions {
    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description = "Write checkpoints into DIR (train only): the network with every worker's updater state "
                    + "(DL4J's ModelSerializer reads it) and the trainer's state, atomically; the newest "
                    + "--keep-checkpoints are kept; one more at the end of the run.")
    Path dir;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "N|Ds",
            description = "A checkpoint every N accepted steps, or every D seconds of training (e.g. 60s). "
                    + "Default: 60s.")
    String every;

    @Option(
            names = "--keep-checkpoints",
            paramLabel = "K",
            description = "How many checkpoints to keep, newest first. Default: 2.")
    Integer keep;

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description = "Continue the training saved in DIR's newest intact checkpoint (a corrupt or partial one is "
                    + "skipped with a warning): give the same data, model and options as the run that wrote it "
                    + "(stop conditions, evaluation and checkpoint options may differ); otherwise exit 2 saying "
                    + "what differs.")
    Path resume;

    /**
     * A member of a cluster training: its checkpoints go to (and its resume reads) the subdirectory {@code member-K}
     * of the directories given, as each member saves its own run.
     */
    void forMember(int index) {
        String sub = "member-" + index;
        if (dir != null) {
            dir = dir.resolve(sub);
        }
        if (resume != null) {
            resume = resume.resolve(sub);
        }
    }

    void applyTo(RunConfig.Builder config) {
        if (dir != null) {
            config.checkpointDir(dir);
        }
        if (every != null) {
            CliValues.stepsOrSeconds(
                    "--checkpoint-every", every, "60s", config::checkpointEvery, config::checkpointEverySeconds);
        }
        if (keep != null) {
            config.keepCheckpoints(keep);
        }
        if (resume != null) {
            config.resume(resume);
        }
    }
}
