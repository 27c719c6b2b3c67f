package org.dl4jasync.model;

import java.lang.reflect.Field;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the original model's {@code gradient()} returns while listeners look at it: the update last applied to the
 * shared parameters, as after DL4J's own {@code fit} step (its updater turns the gradient into the update in place,
 * then {@code iterationDone} fires). DL4J's {@code StatsListener} charts it as "updates"; without it the original
 * model, which computes no gradient itself, would have none.
 *
 * <p>DL4J has no public setter for a network's gradient: the protected field {@code gradient} of
 * {@code MultiLayerNetwork} / {@code ComputationGraph} (1.0.0-M2.1) is set once, by reflection, to a gradient whose
 * per-parameter views (keyed as DL4J keys them: the parameter table's keys) look into a buffer of our own; each
 * {@link #show} then only copies into that buffer. If the field is not there (another DL4J version) nothing is shown
 * and {@code gradient()} stays what DL4J left. Confined to the thread holding the listener lock.
 */
final class ShownUpdate {
    private final Model model;
    private final Field field;
    private INDArray buffer;

    ShownUpdate(Model model, Class<?> declaring) {
        this.model = model;
        Field f;
        try {
            f = declaring.getDeclaredField("gradient");
            f.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            f = null;
        }
        this.field = f;
    }

    /** Makes {@code model.gradient()} hold {@code scale · update}. */
    void show(INDArray update, double scale) {
        if (field == null) {
            return;
        }
        if (buffer == null) {
            buffer = update.dup();
            install();
        }
        buffer.assign(update);
        if (scale != 1.0) {
            buffer.muli(scale);
        }
    }

    private void install() {
        INDArray flat = model.params();
        INDArray line = buffer.reshape(buffer.length());
        Gradient g = new DefaultGradient(buffer);
        for (Map.Entry<String, INDArray> e : model.paramTable().entrySet()) {
            INDArray p = e.getValue();
            long start = p.offset() - flat.offset();
            INDArray view = line.get(NDArrayIndex.interval(start, start + p.length()));
            g.setGradientFor(e.getKey(), p.rank() <= 1 ? view : view.reshape(p.ordering(), p.shape()));
        }
        try {
            field.set(model, g);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
