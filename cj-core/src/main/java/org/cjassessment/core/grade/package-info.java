/**
 * Grade projection: from Bradley–Terry abilities and a few anchor essays of known grade to a probability over the
 * grades of a named {@link org.cjassessment.core.grade.GradeScale} for every student essay. Entry point:
 * {@link org.cjassessment.core.grade.GradeProjector}. The model is explained in {@code docs/GRADES.md}.
 */
package org.cjassessment.core.grade;
