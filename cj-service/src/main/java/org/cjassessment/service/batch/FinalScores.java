package org.cjassessment.service.batch;

import java.util.List;
import java.util.Map;
import org.cjassessment.core.bt.EssayEstimate;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.grade.StudentGrade;

/**
 * What finalization computed, as the completion events need it.
 *
 * @param students the student essays (anchors excluded), best first
 * @param grades projected grades by student essay id (empty when nothing could be projected)
 * @param anchorGrades the anchors' given grades by essay id
 * @param splitHalf split-half reliability of the same comparisons, shown beside SSR
 */
public record FinalScores(GradeScale scale, FitResult fit, List<EssayEstimate> students,
    Map<String, StudentGrade> grades,
    Map<String, String> anchorGrades, SplitHalfReliability splitHalf) {}
