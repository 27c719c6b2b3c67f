package org.dl4jasync.parameters;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A contiguous FLOAT or DOUBLE vector with its native pointer resolved once, so that the store's per-step
 * arithmetic ({@code y ← y − a·x}, {@code y ← x}) is a direct CBLAS call that allocates nothing (ND4J's own
 * {@code assign}/{@code axpy} create op objects on every call). Holds the array, so the memory stays alive.
 * Not thread-safe in itself: callers follow their store's protocol.
 *
 * <p>The library does not choose the ND4J backend: the raw CBLAS path needs host memory and OpenBLAS's bindings, so
 * it is taken on ND4J's CPU backend ({@code nd4j-native}) with OpenBLAS present ({@link #CBLAS}); on any other
 * backend (CUDA) the same arithmetic runs through ND4J's own ops.
 */
final class FlatVector {
    /** Whether the raw CBLAS path is usable here: decided once per JVM (the backend does not change). */
    static final boolean CBLAS = cblasUsable();

    final INDArray array;
    /** This vector's path: {@link #CBLAS}, or ND4J's ops when false (also to test that path on the CPU). */
    private final boolean cblas;

    private final int n;
    private final boolean isFloat;
    private final FloatPointer f;
    private final DoublePointer d;

    private FlatVector(INDArray array, boolean cblas) {
        this.array = array;
        this.cblas = cblas;
        long length = array.length();
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "parameter vectors above 2^31 - 1 elements are not supported: " + length);
        }
        if (!array.isVectorOrScalar() || array.elementWiseStride() != 1) {
            throw new IllegalArgumentException("a flat contiguous vector is required, got shape "
                    + Arrays.toString(array.shape()) + " with element stride " + array.elementWiseStride());
        }
        this.n = (int) length;
        DataType t = array.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("parameters must be FLOAT or DOUBLE, got " + t);
        }
        isFloat = t == DataType.FLOAT;
        if (cblas) {
            long address = array.data().address() + array.offset() * t.width();
            f = isFloat ? new RawFloats(address, n) : null;
            d = isFloat ? null : new RawDoubles(address, n);
        } else {
            f = null;
            d = null;
        }
    }

    private static boolean cblasUsable() {
        if (!Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.")) {
            return false; // device memory (CUDA): no host pointer to hand to CBLAS
        }
        try {
            Class.forName("org.bytedeco.openblas.global.openblas_nolapack"); // initialising it loads the natives
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /**
     * A pointer to memory ND4J owns, with no deallocator. (JavaCPP's copy constructor, {@code new
     * FloatPointer(buffer.addressPointer())}, attaches a proxy that deallocates the <em>original</em> pointer when
     * the copy is collected: a use-after-free of the ND4J buffer. Never do that here.)
     */
    private static final class RawFloats extends FloatPointer {
        RawFloats(long address, long n) {
            super((Pointer) null);
            this.address = address;
            this.limit = n;
            this.capacity = n;
        }
    }

    private static final class RawDoubles extends DoublePointer {
        RawDoubles(long address, long n) {
            super((Pointer) null);
            this.address = address;
            this.limit = n;
            this.capacity = n;
        }
    }

    /** True when both arrays are the same memory (one may be a reshaped view of the other). */
    static boolean sameMemory(INDArray a, INDArray b) {
        return a.length() == b.length() && a.data().address() == b.data().address() && a.offset() == b.offset();
    }

    static FlatVector of(INDArray array) {
        return new FlatVector(array, CBLAS);
    }

    /** A vector on ND4J's ops whatever the backend: the path other backends take. */
    static FlatVector withNd4jOps(INDArray array) {
        return new FlatVector(array, false);
    }

    long length() {
        return n;
    }

    /** {@code this ← this − a·x}. */
    void subtractScaled(FlatVector x, double a) {
        check(x);
        if (!cblas || !x.cblas) {
            Nd4j.getBlasWrapper().level1().axpy(n, -a, x.array, array);
        } else if (isFloat) {
            openblas_nolapack.cblas_saxpy(n, (float) -a, x.f, 1, f, 1);
        } else {
            openblas_nolapack.cblas_daxpy(n, -a, x.d, 1, d, 1);
        }
    }

    /** {@code this ← x}. */
    void copyFrom(FlatVector x) {
        check(x);
        if (!cblas || !x.cblas) {
            array.assign(x.array);
        } else if (isFloat) {
            openblas_nolapack.cblas_scopy(n, x.f, 1, f, 1);
        } else {
            openblas_nolapack.cblas_dcopy(n, x.d, 1, d, 1);
        }
    }

    private void check(FlatVector x) {
        if (x.n != n || x.isFloat != isFloat) {
            throw new IllegalArgumentException("vector of " + x.n + (x.isFloat ? " floats" : " doubles") + " for " + n
                    + (isFloat ? " floats" : " doubles"));
        }
    }

    /**
     * Caches the {@link FlatVector} of the last array seen: the update a worker applies is its replica's gradient
     * buffer, the same array every step, so this resolves its pointer once. Confined to one thread.
     */
    static final class Cache {
        private INDArray last;
        private FlatVector vector;

        FlatVector of(INDArray array) {
            if (array != last) {
                vector = FlatVector.of(array);
                last = array;
            }
            return vector;
        }
    }
}
