package org.dl4jasync.examples.cli;

import java.util.concurrent.Callable;

/**
 * A subcommand of {@code dl4j-async} that lives in a module built on this one (e.g. {@code compare} in
 * {@code dl4j-async-bench}), found with {@link java.util.ServiceLoader} when that module is on the class path (the
 * launcher puts it there). Implementations are picocli {@code @Command}s; the command's name is theirs.
 */
public interface PluginCommand extends Callable<Integer> {}
