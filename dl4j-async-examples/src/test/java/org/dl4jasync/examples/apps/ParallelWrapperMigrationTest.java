package org.dl4jasync.examples.apps;

import static org.assertj.core.api.Assertions.assertThat;

import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.junit.jupiter.api.Test;

class ParallelWrapperMigrationTest {

    @Test
    void bothPathsTrainAndOursReachesParallelWrappersAccuracyWithinATolerance() throws Exception {
        TrainTest all = FashionMnist.embedded();
        TrainTest sample = new TrainTest(all.train.range(0, 2_000), all.test.range(0, 1_000), "sample");
        ParallelWrapperMigration.Result pw = ParallelWrapperMigration.withParallelWrapper(sample, 3, 2, 7);
        ParallelWrapperMigration.Result ours = ParallelWrapperMigration.withAsyncTrainer(sample, 3, 2, 7);
        assertThat(pw.accuracy())
                .as("ParallelWrapper learned (10 classes: chance is 0.1)")
                .isGreaterThan(0.5);
        assertThat(ours.accuracy())
                .as("ours against ParallelWrapper's %.4f", pw.accuracy())
                .isGreaterThanOrEqualTo(pw.accuracy() - 0.05);
    }
}
