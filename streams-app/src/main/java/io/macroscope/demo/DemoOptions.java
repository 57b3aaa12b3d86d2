package io.macroscope.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one demo run.
 *
 * @param dataDir where broker data, registry log and state go
 * @param duration how long to run, or null to run until stopped
 * @param framesPerSecond rate of the simulated microscope
 * @param partitions partitions of the feed and output topics
 * @param seed seed of the simulated feeds
 * @param quick train the start-up models with a test-sized budget (seconds)
 * @param corruptEvery every n-th microscope frame is corrupted on purpose (0: never)
 * @param retrainEvery run the trainer service beside the stream this often (null: no trainer)
 */
public record DemoOptions(
    Path dataDir,
    Duration duration,
    double framesPerSecond,
    int partitions,
    long seed,
    boolean quick,
    int corruptEvery,
    Duration retrainEvery) {}
