/* suggest.h: near names for "did you mean" messages: scenario files near a path that
 * does not exist, parameters near a pattern that matches none (suggest.c). */
#ifndef GOVSIM_SUGGEST_H
#define GOVSIM_SUGGEST_H

#include <stddef.h>

/* Edit distance (insertions, deletions, substitutions), ignoring case. */
size_t suggest_distance(const char *a, const char *b);
/* The fewest edits that turn `pattern` into some part of `text`, ignoring case (0 when
 * pattern is a substring of text). */
size_t suggest_part_distance(const char *pattern, const char *text);

/* Scenario files (.yaml, .yml) whose names are near that of `path`, in the folder the
 * path names and in params/ below the working directory, nearest first, as
 * "params/a.yaml or params/b.yaml" into buf (at most three). Returns how many. */
int suggest_files(const char *path, char *buf, size_t n);

/* Nonzero when path ends in .yaml or .yml (any case). */
int suggest_is_yaml(const char *path);

#endif
