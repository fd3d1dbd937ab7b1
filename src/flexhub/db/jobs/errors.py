"""The job queue's error codes."""

from flexhub.kernel.errors import Conflict, NotFound, error_class

JobNotFound = error_class("jobs.not_found", 404, NotFound)
JobNotDead = error_class("jobs.not_dead", 409, Conflict)
