/**
 * Event payloads as plain records. Component names are the upstream field names in camelCase; the service
 * serialises them in snake_case (e.g. {@code cjAssessmentJobId} → {@code cj_assessment_job_id}). Optional fields
 * are nullable; JSON Schemas live under {@code contracts/} in the repository.
 */
package org.cjassessment.service.events;
