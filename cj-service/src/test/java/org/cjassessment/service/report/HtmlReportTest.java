package org.cjassessment.service.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cjassessment.service.Json;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  /** A results document like the API's: n essays, anchors every tenth, boundaries, reliability. */
  static ObjectNode document(int n, long seed) {
    Random random = new Random(seed);
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("job_id", "7").put("batch_id", "class-9b").put("outcome", "COMPLETE_STABLE")
        .put("grade_scale", "swedish_8_anchor");
    root.putObject("progress").put("budget", 400).put("judged", 380);
    root.putObject("reliability").put("ssr", 0.91).put("split_half", 0.88);
    root.putObject("position_effect").put("estimate", -0.31).put("se", 0.08).put("first_slot_win_rate", 0.44);
    ArrayNode bounds = root.putArray("grade_boundaries");
    bounds.addObject().put("lower_grade", "E").put("upper_grade", "C").put("ability", -1.0);
    bounds.addObject().put("lower_grade", "C").put("upper_grade", "A").put("ability", 1.2);
    ArrayNode essays = root.putArray("essays");
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = random.nextGaussian() * 1.5;
    }
    java.util.Arrays.sort(scores);
    for (int i = 0; i < n; i++) {
      double s = scores[n - 1 - i];
      ObjectNode e = essays.addObject();
      boolean anchor = i % 10 == 3;
      e.put("essay_id", String.format("essay-%04d", i)).put("rank", i + 1).put("score", s).put("se", 0.4)
          .put("comparisons", 12).put("wins", 6).put("infit", i == 5 ? 3.5 : 0.9 + 0.01 * (i % 7))
          .put("is_anchor", anchor).put("grade", s > 1.2 ? "A" : s > -1 ? "C" : "E");
      if (!anchor) {
        e.put("grade_confidence", 0.71);
      }
      e.putObject("rank_interval").put("low", Math.max(1, i - 2)).put("high", Math.min(n, i + 4));
    }
    return root;
  }

  @Test
  void axisMapsScoresLinearlyWithHigherScoresHigherOnThePage() {
    ScoreAxis axis = new ScoreAxis(-2, 2, 10, 210);
    assertThat(axis.y(-2)).isEqualTo(210.0);
    assertThat(axis.y(2)).isEqualTo(10.0);
    assertThat(axis.y(0)).isEqualTo(110.0);
    assertThat(axis.ticks(4)).containsExactly(-2.0, -1.0, 0.0, 1.0, 2.0);
    assertThat(new ScoreAxis(-0.37, 0.52, 0, 100).ticks(8)).containsExactly(-0.2, 0.0, 0.2, 0.4);
    assertThat(new ScoreAxis(-0.37, 0.52, 0, 100).ticks(10)).containsExactly(-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3,
        0.4, 0.5);
  }

  @Test
  void axisCoversEveryIntervalAndBoundaryWithPadding() {
    ReportDocument doc = ReportDocument.from(document(20, 1));
    ScoreAxis axis = HtmlReport.axisFor(doc);
    for (ReportDocument.Essay e : doc.essays()) {
      assertThat(axis.min()).isLessThan(e.score() - ScoreAxis.Z95 * e.se());
      assertThat(axis.max()).isGreaterThan(e.score() + ScoreAxis.Z95 * e.se());
    }
    double span = 0;
    double lo = doc.essays().stream().mapToDouble(e -> e.score() - ScoreAxis.Z95 * e.se()).min().orElseThrow();
    double hi = doc.essays().stream().mapToDouble(e -> e.score() + ScoreAxis.Z95 * e.se()).max().orElseThrow();
    span = hi - lo;
    assertThat(axis.min()).isCloseTo(lo - 0.05 * span, within(1e-9));
    assertThat(axis.max()).isCloseTo(hi + 0.05 * span, within(1e-9));
  }

  @Test
  void intervalsInTheChartAreNinetyFivePercentOfTheScoreScale() {
    ObjectNode root = document(10, 2);
    String html = HtmlReport.render(ReportDocument.from(root), false);
    ReportDocument doc = ReportDocument.from(root);
    ScoreAxis axis = HtmlReport.axisFor(doc);
    // the highest essay is drawn last (left to right by score): its interval line spans y(s ± 1.96 se)
    ReportDocument.Essay top = doc.essays().get(0);
    Matcher m = Pattern.compile("data-essay=\"" + top.essayId() + "\"><title>[^<]*</title><line x1=\"([\\d.]+)\" "
        + "x2=\"[\\d.]+\" y1=\"([\\d.]+)\" y2=\"([\\d.]+)\"").matcher(html);
    assertThat(m.find()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isCloseTo(HtmlReport.x(9, 10), within(0.06));
    assertThat(Double.parseDouble(m.group(2))).isCloseTo(axis.y(top.score() - 1.96 * top.se()), within(0.06));
    assertThat(Double.parseDouble(m.group(3))).isCloseTo(axis.y(top.score() + 1.96 * top.se()), within(0.06));
  }

  @Test
  void gradeBandsSpanTheRegionsBetweenBoundaries() {
    ObjectNode root = document(30, 3);
    ReportDocument doc = ReportDocument.from(root);
    String html = HtmlReport.render(doc, false);
    ScoreAxis axis = HtmlReport.axisFor(doc);
    Matcher m = Pattern.compile("<rect class=\"band band\\d\" data-grade=\"([^\"]+)\" x=\"\\d+\" width=\"\\d+\" "
        + "y=\"([\\d.]+)\" height=\"([\\d.]+)\"").matcher(html);
    List<String> grades = new java.util.ArrayList<>();
    while (m.find()) {
      grades.add(m.group(1));
      double y = Double.parseDouble(m.group(2));
      double height = Double.parseDouble(m.group(3));
      switch (m.group(1)) {
        case "E" -> {
          assertThat(y).isCloseTo(axis.y(-1.0), within(0.06));
          assertThat(y + height).isCloseTo(axis.y(axis.min()), within(0.11));
        }
        case "C" -> {
          assertThat(y).isCloseTo(axis.y(1.2), within(0.06));
          assertThat(y + height).isCloseTo(axis.y(-1.0), within(0.11));
        }
        case "A" -> assertThat(y).isCloseTo(axis.y(axis.max()), within(0.06));
        default -> throw new AssertionError("unexpected band " + m.group(1));
      }
    }
    assertThat(grades).containsExactly("E", "C", "A");
  }

  @Test
  void everyEssayHasOneRowAndAnchorsAreMarked() {
    String html = HtmlReport.render(ReportDocument.from(document(40, 4)), false);
    assertThat(count(html, "<tr")).isEqualTo(41); // header + 40
    assertThat(count(html, "<tr class=\"anchor\">")).isEqualTo(4);
    assertThat(count(html, "<g class=\"anchor\"")).isEqualTo(4);
    assertThat(html).contains("Split-half reliability").contains("0.88").contains("a second set of comparisons")
        .contains("leaned towards the essay shown second").contains("3.50 <span class=\"tag misfit\">");
  }

  @Test
  void panelsWithoutTheirFiguresAreLeftOut() {
    ObjectNode root = document(12, 5);
    root.remove(List.of("reliability", "position_effect", "grade_boundaries"));
    String html = HtmlReport.render(ReportDocument.from(root), false);
    assertThat(html).doesNotContain("id=\"reliability\"").doesNotContain("id=\"bands\"");
  }

  @Test
  void textIsLeftOutUnlessAskedAndEverythingIsEscaped() {
    ObjectNode root = document(5, 6);
    ((ObjectNode) root.path("essays").get(0)).put("text", "My secret essay <b>text</b>");
    ((ObjectNode) root.path("essays").get(1)).put("essay_id", "<script>alert(1)</script>");
    String html = HtmlReport.render(ReportDocument.from(root), false);
    assertThat(html).doesNotContain("secret").doesNotContain("<script>alert");
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    String withText = HtmlReport.render(ReportDocument.from(root), true);
    assertThat(withText).contains("My secret essay &lt;b&gt;text&lt;/b&gt;");
  }

  @Test
  void pageForFiveHundredEssaysStaysUnder300Kilobytes() {
    String html = HtmlReport.render(ReportDocument.from(document(500, 7)), false);
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(300 * 1024);
    assertThat(html).doesNotContain("http://").doesNotContain("https://"); // nothing fetched
  }

  @Test
  void aDocumentWithoutEssaysIsRefusedPlainly() {
    assertThatThrownBy(() -> ReportDocument.from(Json.mapper().createObjectNode()))
        .hasMessageContaining("\"essays\"");
    JsonNode noScore = Json.mapper().createObjectNode().set("essays",
        Json.mapper().createArrayNode().add(Json.mapper().createObjectNode().put("essay_id", "x")));
    assertThatThrownBy(() -> ReportDocument.from(noScore)).hasMessageContaining("essay x has no score");
  }

  @Test
  void misfitsAreTwoStandardDeviationsAboveTheMeanInfit() {
    ReportDocument doc = ReportDocument.from(document(40, 8));
    assertThat(Misfits.flagged(doc.essays())).containsExactly("essay-0005");
  }

  @Test
  void reliabilityReadingsFollowTheFigure() {
    assertThat(Readings.reliability(0.93)).contains("almost the same way");
    assertThat(Readings.reliability(0.85)).contains("much the same way");
    assertThat(Readings.reliability(0.3)).contains("mostly noise");
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
