package org.dl4jasync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jasync.bench.compare.Stats;
import org.dl4jasync.examples.models.Models;
import org.dl4jasync.model.NativeHelpers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Milliseconds per LeNet-5 gradient ({@code computeGradientAndScore}, batch 16, one thread) with DL4J's own
 * convolution code and with its oneDNN helpers ({@link NativeHelpers}), for CIFAR-10's 32×32×3 and
 * Fashion-MNIST's 28×28×1 inputs: the two networks alternate round by round in one process, so machine noise hits
 * both alike. Prints per input the median ms per gradient of each and the per-round ratio (median and range).
 */
@Command(
        name = "NativeHelpersBench",
        mixinStandardHelpOptions = true,
        description = "LeNet-5 gradient time with DL4J's own convolution and with its oneDNN helpers.")
public final class NativeHelpersBench implements Callable<Integer> {
    @Option(
            names = "--gradients",
            defaultValue = "200",
            description = "gradients per measurement (default ${DEFAULT-VALUE})")
    int gradients;

    @Option(names = "--rounds", defaultValue = "5", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--batch", defaultValue = "16", description = "minibatch size (default ${DEFAULT-VALUE})")
    int batch;

    public static void main(String[] args) {
        System.exit(new CommandLine(new NativeHelpersBench()).execute(args));
    }

    @Override
    public Integer call() {
        System.out.printf(
                Locale.ROOT,
                "oneDNN helpers available: %s; ND4J threads: %d%n",
                NativeHelpers.oneDnnAvailable(),
                Nd4j.getEnvironment().maxThreads());
        if (!NativeHelpers.oneDnnAvailable()) {
            System.err.println("NativeHelpersBench: the backend has no oneDNN (use nd4j-native's -onednn classifier)");
            return 2;
        }
        int[][] shapes = {{32, 32, 3}, {28, 28, 1}};
        String[] names = {"CIFAR-10 32x32x3", "Fashion-MNIST 28x28x1"};
        System.out.println(
                "| input | DL4J's convolution, ms/gradient | oneDNN helpers, ms/gradient | ratio (median, range) |");
        System.out.println("| --- | ---: | ---: | --- |");
        for (int s = 0; s < shapes.length; s++) {
            int h = shapes[s][0];
            int w = shapes[s][1];
            int c = shapes[s][2];
            MultiLayerNetwork plain = net(h, w, c);
            MultiLayerNetwork fast = net(h, w, c);
            NativeHelpers.useOneDnn(fast);
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, h * w * c);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
            for (int i = 0; i < batch; i++) {
                y.putScalar(i, i % 10, 1f);
            }
            time(plain, x, y, gradients / 4); // warm-up
            time(fast, x, y, gradients / 4);
            List<Double> a = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            List<Double> ratio = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                double p = time(plain, x, y, gradients);
                double f = time(fast, x, y, gradients);
                a.add(p);
                b.add(f);
                ratio.add(p / f);
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f | %.1fx (%.1f-%.1f) |%n",
                    names[s],
                    median(a),
                    median(b),
                    median(ratio),
                    ratio.stream().mapToDouble(d -> d).min().orElse(0),
                    ratio.stream().mapToDouble(d -> d).max().orElse(0));
        }
        return 0;
    }

    private static double median(List<Double> v) {
        return Stats.median(v.stream().mapToDouble(d -> d).toArray());
    }

    private static MultiLayerNetwork net(int h, int w, int c) {
        MultiLayerNetwork n = new MultiLayerNetwork(Models.lenet(h, w, c, 10, Models.sgd(0.005, 0.5, true), 1));
        n.init();
        return n;
    }

    /** Milliseconds per gradient over {@code n} gradients. */
    private static double time(MultiLayerNetwork net, INDArray x, INDArray y, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }
}
