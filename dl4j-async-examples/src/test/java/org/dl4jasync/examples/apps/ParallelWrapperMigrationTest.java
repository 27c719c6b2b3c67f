package org.dl4jasync.examples.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.dl4jasync.examples.data.FashionMnist;
import org.dl4jasync.examples.data.TrainTest;
import org.junit.jupiter.api.Test;

class ParallelWrapperMigrationTest {

    /**
     * One asynchronous run of 94 steps is not reproducible (the threads' interleaving decides which parameters each
     * gradient is taken at): on this sample five runs ended at 0.63 to 0.71 and one CI run at 0.55, while
     * ParallelWrapper's averaging ended at 0.62 every time. The claim is therefore checked on the median of three
     * runs of ours.
     */
    @Test
    void bothPathsTrainAndOursMedianOfThreeRunsReachesParallelWrappersAccuracyWithinATolerance() throws Exception {
        TrainTest all = FashionMnist.embedded();
        TrainTest sample = new TrainTest(all.train.range(0, 2_000), all.test.range(0, 1_000), "sample");
        ParallelWrapperMigration.Result pw = ParallelWrapperMigration.withParallelWrapper(sample, 3, 2, 7);
        double[] ours = new double[3];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = ParallelWrapperMigration.withAsyncTrainer(sample, 3, 2, 7).accuracy();
        }
        Arrays.sort(ours);
        assertThat(pw.accuracy())
                .as("ParallelWrapper learned (10 classes: chance is 0.1)")
                .isGreaterThan(0.5);
        assertThat(ours[1])
                .as("median of ours %s against ParallelWrapper's %.4f", Arrays.toString(ours), pw.accuracy())
                .isGreaterThanOrEqualTo(pw.accuracy() - 0.05);
    }
}
