package org.dl4jasync.simulation;

import java.util.function.DoubleSupplier;

/** The simulator's virtual time in seconds, for controllers that measure rates (y-probing, elastic parallelism). */
public final class VirtualClock implements DoubleSupplier {
    /** Written by the simulation thread before each event; read by controllers on that same thread. */
    double now;

    @Override
    public double getAsDouble() {
        return now;
    }
}
