package org.dl4jasync.metrics;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One point of a trace: written as {@code [seconds, accepted_steps, value]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"seconds", "steps", "value"})
public final class TracePoint {
    public final double seconds;
    public final long steps;
    public final double value;

    public TracePoint(double seconds, long steps, double value) {
        this.seconds = seconds;
        this.steps = steps;
        this.value = value;
    }

    @Override
    public String toString() {
        return "[" + seconds + ", " + steps + ", " + value + "]";
    }
}
