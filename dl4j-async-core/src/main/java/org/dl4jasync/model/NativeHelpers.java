package org.dl4jasync.model;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's own oneDNN helpers for convolution and max/average pooling, installed where DL4J 1.0.0-M2.1 fails to.
 *
 * <p>DL4J's layers ask {@code BaseMKLDNNHelper.mklDnnEnabled()} whether to use their oneDNN helper; in 1.0.0-M2.1
 * that looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment.isUseMKLDNN}, which ND4J 1.0.0-M2.1 no longer has
 * (it is {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment.isUseONEDNN}), so the check fails and
 * every convolution runs ND4J's generic im2col on a permuted view, which takes most of a convolutional network's
 * step (LeNet-5 on CIFAR-10, batch 16, one thread: 70 ms per gradient, of which im2col about 55 ms; with the
 * helpers on the oneDNN build of nd4j-native: 8 ms; docs/PERFORMANCE.md).
 *
 * <p>{@link #useOneDnn} gives every {@code ConvolutionLayer} and {@code SubsamplingLayer} (exactly those classes:
 * their subclasses have other helpers or none) of a network the helper DL4J would have given it; it does nothing
 * unless ND4J's native backend was built with oneDNN ({@link #oneDnnAvailable}: the {@code -onednn} classifiers of
 * nd4j-native) and helpers are allowed. DL4J's layers then run the helpers' oneDNN ops and fall back to their own
 * code if a helper fails, as they always do. Replicas and evaluators of the trainer get the helpers their network
 * has ({@link #copy}), so every copy computes as the network does.
 *
 * <p>Helpers hold native op contexts: each layer gets its own instance, and a network stays with one thread at a
 * time, as DL4J requires anyway.
 */
public final class NativeHelpers {
    private static final Field CONV_HELPER = field(ConvolutionLayer.class);
    private static final Field POOL_HELPER = field(SubsamplingLayer.class);
    private static volatile Boolean available;

    private NativeHelpers() {}

    /**
     * True when ND4J runs on its CPU backend built with oneDNN and with platform helpers allowed
     * ({@code Nd4j.getEnvironment().helpersAllowed()}), and DL4J's helper fields can be set.
     */
    public static boolean oneDnnAvailable() {
        Boolean a = available; // benign race: every thread computes the same answer
        if (a == null) {
            a = CONV_HELPER != null && POOL_HELPER != null && backendHasOneDnn();
            available = a;
        }
        return a && Nd4j.getEnvironment().helpersAllowed();
    }

    private static boolean backendHasOneDnn() {
        if (!"CPU"
                .equalsIgnoreCase(
                        Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"))) {
            return false;
        }
        try { // by reflection: the core compiles against the ND4J API, not a backend
            Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
            Object instance = env.getMethod("getInstance").invoke(null);
            Method useOneDnn = env.getMethod("isUseONEDNN");
            return (Boolean) useOneDnn.invoke(instance);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Gives each convolution and pooling layer of {@code net} (a {@code MultiLayerNetwork} or
     * {@code ComputationGraph}, initialised) DL4J's oneDNN helper, if {@link #oneDnnAvailable()}; a layer that has a
     * helper keeps it. Returns the number of layers that have a oneDNN helper afterwards (0 when not available).
     */
    public static int useOneDnn(Model net) {
        if (!oneDnnAvailable()) {
            return 0;
        }
        int n = 0;
        for (Layer l : layers(net)) {
            if (l.getClass() == ConvolutionLayer.class) {
                n += install(CONV_HELPER, l, MKLDNNConvHelper.class) ? 1 : 0;
            } else if (l.getClass() == SubsamplingLayer.class) {
                n += install(POOL_HELPER, l, MKLDNNSubsamplingHelper.class) ? 1 : 0;
            }
        }
        return n;
    }

    /** The number of layers of {@code net} that have a oneDNN helper. */
    public static int oneDnnLayers(Model net) {
        int n = 0;
        for (Layer l : layers(net)) {
            Field f = l.getClass() == ConvolutionLayer.class
                    ? CONV_HELPER
                    : l.getClass() == SubsamplingLayer.class ? POOL_HELPER : null;
            n += f != null && isOneDnn(get(f, l)) ? 1 : 0;
        }
        return n;
    }

    /**
     * Gives {@code copy} (a network of the same configuration as {@code original}) the oneDNN helpers that
     * {@code original} has, layer by layer, each a new instance.
     */
    static void copy(Model original, Model copy) {
        if (available == null || !available) {
            return; // nothing was installed anywhere
        }
        Layer[] from = layers(original);
        Layer[] to = layers(copy);
        for (int i = 0; i < Math.min(from.length, to.length); i++) {
            if (from[i].getClass() != to[i].getClass()) {
                continue;
            }
            if (from[i].getClass() == ConvolutionLayer.class && isOneDnn(get(CONV_HELPER, from[i]))) {
                install(CONV_HELPER, to[i], MKLDNNConvHelper.class);
            } else if (from[i].getClass() == SubsamplingLayer.class && isOneDnn(get(POOL_HELPER, from[i]))) {
                install(POOL_HELPER, to[i], MKLDNNSubsamplingHelper.class);
            }
        }
    }

    private static boolean isOneDnn(Object helper) {
        return helper instanceof MKLDNNConvHelper || helper instanceof MKLDNNSubsamplingHelper;
    }

    private static Layer[] layers(Model net) {
        if (net instanceof MultiLayerNetwork) {
            Layer[] l = ((MultiLayerNetwork) net).getLayers();
            return l == null ? new Layer[0] : l;
        }
        if (net instanceof ComputationGraph) {
            Layer[] l = ((ComputationGraph) net).getLayers();
            return l == null ? new Layer[0] : l;
        }
        throw new IllegalArgumentException(
                "not a MultiLayerNetwork or ComputationGraph: " + net.getClass().getName());
    }

    private static boolean install(Field f, Layer layer, Class<?> helperClass) {
        if (isOneDnn(get(f, layer))) {
            return true;
        }
        if (get(f, layer) != null) {
            return false; // another helper (e.g. cuDNN's): keep it
        }
        try {
            // the helpers ignore the data type given to their constructor (they check each array's at use)
            Object h = helperClass.getConstructor(DataType.class).newInstance(DataType.FLOAT);
            f.set(layer, h);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Object get(Field f, Layer layer) {
        try {
            return f.get(layer);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    private static Field field(Class<?> layerClass) {
        try {
            Field f = layerClass.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
