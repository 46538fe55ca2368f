package faultsim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The recorder's histograms grow with their values instead of spanning 1 ns..1 h from the start:
 * they must give what a full-range histogram gives, value for value and byte for byte in a log.
 */
final class OpRecorderTest {
  /** 1 hour in ns, the recorder's top. */
  private static final long HOUR_NS = 3_600_000_000_000L;

  @Property(tries = 200)
  void latencies_sameCountsAndPercentilesAsAFullRangeHistogram(
      @ForAll @Size(min = 1, max = 60) java.util.List<@LongRange(min = 1, max = HOUR_NS) Long> values,
      @ForAll @LongRange(min = 1, max = 4) long intervals) {
    // Operations end one per 10 ns from 1000 ns; `intervals` equal intervals cover them. The
    // job's histogram is the intervals' sum, and every interval's and the job's counts, total,
    // max and percentiles are those of a histogram of 1 ns..1 h at 3 digits given the same values.
    OpRecorder r = new OpRecorder("job", false);
    r.startMeasuring(1000);
    Histogram whole = OpRecorder.fullRange();
    Histogram[] perInterval = new Histogram[(int) intervals];
    int perPart = (values.size() + perInterval.length - 1) / perInterval.length;
    long now = 1000;
    for (int k = 0; k < perInterval.length; k++) {
      perInterval[k] = OpRecorder.fullRange();
      for (int i = k * perPart; i < Math.min(values.size(), (k + 1) * perPart); i++) {
        now += 10;
        r.record(now - values.get(i), now);
        whole.recordValue(values.get(i));
        perInterval[k].recordValue(values.get(i));
      }
      r.endInterval(now);
    }

    assertSame(r.latencyNs(), whole);
    assertThat(r.intervals()).hasSize(perInterval.length);
    for (int k = 0; k < perInterval.length; k++) {
      assertSame(r.intervals().get(k).latencyNs(), perInterval[k]);
    }
  }

  @Test
  void widened_encodesAsAFullRangeHistogramDoes() {
    // An interval log writes each interval's compressed encoding, whose header names the range:
    // an interval widened to 1 ns..1 h encodes to the same bytes as one recorded at full range.
    Histogram grown = OpRecorder.newHistogram();
    Histogram full = OpRecorder.fullRange();
    for (long v : new long[] {1, 999, 4_096, 70_000, 3_000_000, 9_000_000_000L}) {
      grown.recordValue(v);
      full.recordValue(v);
    }
    assertThat(grown.getHighestTrackableValue()).isLessThan(HOUR_NS);

    assertThat(encode(OpRecorder.widened(grown))).isEqualTo(encode(full));
  }

  @Test
  void noOperation_emptyIntervalAndJob() {
    // An interval with no operation closes as an empty histogram, and the job's has no count.
    OpRecorder r = new OpRecorder("job", false);
    r.startMeasuring(0);
    r.endInterval(1_000_000);

    assertThat(r.intervals()).hasSize(1);
    assertThat(r.intervals().get(0).latencyNs().getTotalCount()).isZero();
    assertThat(r.latencyNs().getTotalCount()).isZero();
  }

  private static void assertSame(Histogram actual, Histogram expected) {
    assertThat(actual.getTotalCount()).isEqualTo(expected.getTotalCount());
    assertThat(actual.getMaxValue()).isEqualTo(expected.getMaxValue());
    assertThat(actual.getMinValue()).isEqualTo(expected.getMinValue());
    assertThat(actual.getMean()).isEqualTo(expected.getMean());
    for (double p : new double[] {0, 10, 50, 90, 99, 99.9, 100}) {
      assertThat(actual.getValueAtPercentile(p)).as("p%s", p)
          .isEqualTo(expected.getValueAtPercentile(p));
    }
  }

  private static byte[] encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf, Deflater.BEST_SPEED);
    return Arrays.copyOf(buf.array(), n);
  }
}
