package org.dl4jasync.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A network whose parameters can be re-pointed at other flat buffers of its layout ({@link ParameterViews}). */
interface Rebindable {

    /** The views of {@code flat} for {@link #bind}; made once per buffer. */
    ParameterViews.Binding bindingFor(INDArray flat);

    /** Points the network's parameters at the binding's buffer. Allocation-free. */
    void bind(ParameterViews.Binding b);
}
