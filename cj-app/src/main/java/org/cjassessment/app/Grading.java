package org.cjassessment.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.grade.AbilityEstimate;
import org.cjassessment.core.grade.GradeBand;
import org.cjassessment.core.grade.GradeProbability;
import org.cjassessment.core.grade.GradeProjection;
import org.cjassessment.core.grade.GradeProjector;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.grade.StudentGrade;

/** The optional grade part of {@code cj score}: anchors read from CSV, projection after the fit. */
final class Grading {

  /** What the report prints for one essay. {@code probabilities} is null when not projected. */
  record EssayGrade(boolean anchor, String grade, OptionalDouble confidence, ObjectNode probabilities) {}

  private final GradeScale scale;
  private final Map<String, String> anchors;
  private final GradeProjection projection;
  private final Map<String, StudentGrade> students;

  private Grading(GradeScale scale, Map<String, String> anchors, GradeProjection projection) {
    this.scale = scale;
    this.anchors = anchors;
    this.projection = projection;
    this.students = new HashMap<>();
    if (projection instanceof GradeProjection.Projected p) {
      p.students().forEach(s -> students.put(s.essayId(), s));
    }
  }

  static Grading none() {
    return new Grading(null, Map.of(), null);
  }

  static Grading read(Path path, String scaleId) {
    GradeScale scale = GradeScale.findById(scaleId).orElseThrow(() -> new UserInputException(
        "--scale " + scaleId + " is unknown; valid scales: " + String.join(", ", GradeScale.ids())));
    CsvTable table = CsvTable.read(path, "essay_id", "grade");
    Map<String, String> anchors = new TreeMap<>();
    for (CsvTable.Row row : table.rows()) {
      String id = row.get("essay_id");
      String grade = row.get("grade");
      if (id.isEmpty()) {
        throw new UserInputException(path + " line " + row.line() + ": empty essay_id");
      }
      if (!scale.isValid(grade)) {
        throw new UserInputException(path + " line " + row.line() + ": grade '" + grade + "' of anchor '" + id
            + "' is not in scale " + scale.id() + " (" + String.join(", ", scale.allGrades()) + ")");
      }
      if (anchors.put(id, grade) != null) {
        throw new UserInputException(path + " line " + row.line() + ": anchor '" + id + "' is listed twice");
      }
    }
    return new Grading(scale, anchors, null);
  }

  boolean enabled() {
    return scale != null;
  }

  List<String> anchorIds() {
    return List.copyOf(anchors.keySet());
  }

  /** Projects grades from the fit (anchors are essays of the same fit). */
  Grading project(FitResult fit) {
    if (!enabled()) {
      return this;
    }
    List<AbilityEstimate> estimates = new ArrayList<>();
    for (EssayEstimate e : fit.essays()) {
      // Not-identified essays (plain MLE without a component) carry no information: a huge SE says so.
      estimates.add(new AbilityEstimate(e.essayId(), e.score(), e.standardError().orElse(1e3)));
    }
    return new Grading(scale, anchors, GradeProjector.withDefaults().project(scale, estimates, anchors));
  }

  EssayGrade of(String essayId) {
    String known = anchors.get(essayId);
    if (known != null) {
      return new EssayGrade(true, known, OptionalDouble.empty(), null);
    }
    StudentGrade g = students.get(essayId);
    if (g == null) {
      return new EssayGrade(false, null, OptionalDouble.empty(), null);
    }
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    for (GradeProbability gp : g.probabilities()) {
      p.put(gp.grade(), Math.round(gp.probability() * 1e6) / 1e6);
    }
    return new EssayGrade(false, g.mostLikelyGrade(), OptionalDouble.of(g.confidence()), p);
  }

  void describe(ObjectNode root) {
    if (!enabled()) {
      return;
    }
    ObjectNode node = root.putObject("grades");
    node.put("scale", scale.id());
    node.put("anchors", anchors.size());
    if (projection instanceof GradeProjection.Projected p) {
      node.put("projected", true);
      var bands = node.putArray("bands");
      for (GradeBand b : p.calibration().bands()) {
        ObjectNode band = bands.addObject();
        band.put("grade", b.grade());
        if (b.lower().isPresent()) {
          band.put("lower", b.lower().getAsDouble());
        } else {
          band.putNull("lower");
        }
        if (b.upper().isPresent()) {
          band.put("upper", b.upper().getAsDouble());
        } else {
          band.putNull("upper");
        }
        band.put("anchors", b.anchorCount());
      }
    } else if (projection instanceof GradeProjection.NotProjected n) {
      node.put("projected", false);
      node.put("reason", n.reason().name());
      node.put("message", n.message());
    }
  }

  Optional<String> summary() {
    if (!enabled()) {
      return Optional.empty();
    }
    if (projection instanceof GradeProjection.NotProjected n) {
      return Optional.of("grades not projected: " + n.message());
    }
    return Optional.of(String.format(Locale.ROOT, "grades on %s from %d anchors", scale.id(), anchors.size()));
  }
}
