package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cjassessment.service.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cj demo} as CI runs it: no configuration, not a terminal. It starts its own embedded PostgreSQL and Kafka
 * (the real code path, not the test JVM's shared servers), so this is the one test here that pays for a start.
 */
class DemoCommandTest {

  @TempDir
  Path out;

  @Test
  void aSmallDemoRunsEndToEndAndReportsWhatItPromises() throws Exception {
    CliRun r = CliRun.run(Map.of(), "demo", "--essays", "16", "--anchors", "4", "--seed", "7", "--out",
        out.toString());

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    // plain progress lines (no console, no carriage returns). The display samples the batch's status, so on a fast
    // machine waves can pass between two samples: a line per observed wave, not necessarily one per wave.
    assertThat(r.out()).containsPattern("progress: wave \\d+ · \\d+/110 comparisons judged").doesNotContain("\r");
    assertThat(r.out()).contains("score ± SE", "true grade", "COMPLETED", "Reliability       split-half 0.",
        ", SSR 0.",
        "Spearman vs truth", "Grades vs truth", "estimated cost",
        "Read from Kafka   completed 1, result 1, resource consumption 1, failed 0 record(s)");
    Matcher spearman = Pattern.compile("Spearman vs truth (-?[0-9.]+)").matcher(r.out());
    assertThat(spearman.find()).isTrue();
    // an 83 %-agreement judge with ~11 comparisons per essay ranks 16 students far better than chance
    assertThat(Double.parseDouble(spearman.group(1))).isBetween(0.5, 1.0);

    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertThat(csv).hasSize(1 + 20);
    assertThat(csv.get(0)).startsWith("essay_id,type,student_rank,rank_lower,rank_upper,score,se,grade")
        .contains("true_grade");
    JsonNode json = Json.mapper().readTree(out.resolve("results.json").toFile());
    assertThat(json.get("essays")).hasSize(20);
    JsonNode summary = json.get("summary");
    assertThat(summary.get("records_per_output_topic").get("huleedu.cj_assessment.completed.v1").asInt())
        .isEqualTo(1);
    assertThat(summary.get("records_per_output_topic").get("huleedu.assessment.result.published.v1").asInt())
        .isEqualTo(1);
    assertThat(summary.get("records_per_output_topic").get("huleedu.resource.consumption.v1").asInt())
        .isEqualTo(1);
    assertThat(summary.get("comparisons_judged").asInt()).isEqualTo(summary.get("comparison_budget").asInt())
        .isEqualTo(110);
    assertThat(summary.get("spearman_vs_truth").asDouble()).isEqualTo(Double.parseDouble(spearman.group(1)));
  }
}
