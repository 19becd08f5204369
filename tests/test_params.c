/* Parameter table, parser and bad-input messages. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "param.h"

static char tmpdir[] = "/tmp/govsim-test-params-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_table(void)
{
    for (size_t i = 0; i < param_count; i++) {
        const struct param_def *d = &param_table[i];
        CHECK(strchr(d->name, '.') != NULL, "%s has no section", d->name);
        CHECK(d->meaning && strlen(d->meaning) > 10, "%s has no meaning", d->name);
        CHECK(d->unit != NULL, "%s has no unit", d->name);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(d->name, param_table[j].name) != 0, "%s declared twice", d->name);
        if (d->type != PT_STRING)
            CHECK(d->def >= d->min && d->def <= d->max, "%s default outside its range", d->name);
    }
    struct param_set *ps = param_set_new();
    struct gs_error err;
    CHECK(param_check(ps, &err) == 0, "defaults fail their own checks: %s", err.msg);
    CHECK(ps->p.grids == 113 && ps->p.communities == 26, "defaults are not Yuzhou's 26 communities in 113 grids");
    param_set_free(ps);
}

/* Issue 19: every parameter says where its value comes from; every assumed one has a
 * plausible range within its allowed range that holds its default. */
static void test_plausible_ranges(void)
{
    size_t n[4] = {0};
    for (size_t i = 0; i < param_count; i++) {
        const struct param_def *d = &param_table[i];
        const char *why = param_origin_problem(d);
        CHECK(why == NULL, "%s: %s", d->name, why);
        n[d->origin < 4 ? d->origin : 0]++;
        double lo = -1, hi = -1;
        int has = param_plausible(d, &lo, &hi);
        CHECK(has == (d->origin == PO_ASSUMED), "%s: param_plausible says %d", d->name, has);
        if (has)
            CHECK(lo == d->plo && hi == d->phi && lo < hi, "%s: range %g-%g", d->name, lo, hi);
    }
    /* the issue says about 200 parameters are assumed */
    CHECK(n[PO_ASSUMED] >= 150, "only %zu assumed parameters", n[PO_ASSUMED]);
    CHECK(n[PO_UNSET] == 0, "%zu parameters unclassified", n[PO_UNSET]);
    const struct param_def *p = param_find("resident.patience_hours");
    double lo, hi;
    CHECK(p && param_plausible(p, &lo, &hi) && lo == 168 && hi == 720, "patience range");
    CHECK(!param_plausible(param_find("run.seed"), &lo, &hi), "the seed has a plausible range");
    CHECK(!param_plausible(param_find("world.communities"), NULL, NULL), "a report figure has a range");
    CHECK(!param_plausible(NULL, NULL, NULL), "NULL has a range");
    /* the check itself catches each kind of bad row */
    struct param_def bad = *p;
    bad.plo = bad.phi = 0;
    CHECK(param_origin_problem(&bad) != NULL, "assumed without range accepted");
    bad = *p;
    bad.phi = 2e6;
    CHECK(param_origin_problem(&bad) != NULL, "range beyond max accepted");
    bad = *p;
    bad.plo = 400;
    CHECK(param_origin_problem(&bad) != NULL, "default outside the plausible range accepted");
    bad = *p;
    bad.basis = NULL;
    CHECK(param_origin_problem(&bad) != NULL, "assumed without basis accepted");
    bad = *p;
    bad.origin = PO_UNSET;
    CHECK(param_origin_problem(&bad) != NULL, "unclassified row accepted");
    bad = *param_find("world.communities");
    bad.basis = "";
    CHECK(param_origin_problem(&bad) != NULL, "report without source accepted");
}

static void expect_error(struct param_set *ps, const char *key, const char *value, const char *needle)
{
    struct gs_error err = {""};
    CHECK(param_set_value(ps, key, value, "t.yaml:7", SRC_FILE, &err) != 0, "%s=%s accepted", key, value);
    CHECK_CONTAINS(err.msg, needle);
    CHECK_CONTAINS(err.msg, "t.yaml:7");
}

static void test_values(void)
{
    struct param_set *ps = param_set_new();
    struct gs_error err;
    expect_error(ps, "grid.houshold", "3", "did you mean 'grid.households'");
    expect_error(ps, "households", "3", "did you mean 'grid.households'");
    expect_error(ps, "grid.households", "many", "expected a whole number");
    expect_error(ps, "grid.households", "3.5", "expected a whole number");
    expect_error(ps, "grid.households", "0", "out of range");
    expect_error(ps, "service.cv", "nan", "finite");
    expect_error(ps, "service.cv", "inf", "finite");
    expect_error(ps, "service.cv", "1e999", "expected a number");
    expect_error(ps, "escalation.overdue_enabled", "maybe", "true or false");
    expect_error(ps, "zzzzzzzzzzzzzz", "1", "govsim params");
    CHECK(param_set_value(ps, "grid.households", "1e3", "x", SRC_SET, &err) == 0, "%s", err.msg);
    CHECK(ps->p.households_per_grid == 1000, "1e3 not read as 1000");
    CHECK(param_set_value(ps, "escalation.overdue_enabled", "no", "x", SRC_SET, &err) == 0, "%s", err.msg);
    CHECK(ps->p.overdue_enabled == 0, "no not read as false");
    CHECK(param_apply_assignment(ps, "category.safety.deadline_hours=12", &err) == 0, "%s", err.msg);
    CHECK(ps->p.cat[CAT_SAFETY].deadline_hours == 12, "--set did not reach the category table");
    CHECK(param_apply_assignment(ps, "novalue", &err) != 0, "assignment without = accepted");
    CHECK_CONTAINS(err.msg, "KEY=VALUE");
    param_set_free(ps);
}

static void test_cross_checks(void)
{
    struct param_set *ps = param_set_new();
    struct gs_error err = {""};
    param_apply_assignment(ps, "time.step_hours=7", &err);
    CHECK(param_check(ps, &err) != 0, "7-hour step accepted");
    CHECK_CONTAINS(err.msg, "time.step_hours");
    param_set_free(ps);
    ps = param_set_new();
    param_apply_assignment(ps, "category.housing.p_community=0.9", &err);
    CHECK(param_check(ps, &err) != 0, "level probabilities above 1 accepted");
    CHECK_CONTAINS(err.msg, "housing");
    CHECK_CONTAINS(err.msg, "--set");
    param_set_free(ps);
    ps = param_set_new();
    param_apply_assignment(ps, "world.grids=10", &err);
    CHECK(param_check(ps, &err) != 0, "fewer grids than communities accepted");
    param_set_free(ps);
}

static void expect_yaml_error(const char *name, const char *text, const char *needle1,
                              const char *needle2)
{
    struct param_set *ps = param_set_new();
    struct gs_error err = {""};
    const char *path = write_file(name, text);
    CHECK(param_load_yaml(ps, path, &err) != 0, "%s accepted", name);
    CHECK_CONTAINS(err.msg, name);
    CHECK_CONTAINS(err.msg, needle1);
    if (needle2)
        CHECK_CONTAINS(err.msg, needle2);
    param_set_free(ps);
}

static void test_yaml(void)
{
    struct param_set *ps = param_set_new();
    struct gs_error err = {""};
    const char *ok = write_file("ok.yaml", "# a scenario\nscenario:\n  name: test\n"
                                           "grid:\n  households: 350\n  workers: 3\n"
                                           "category.utilities.weight: 0.5\n");
    CHECK(param_load_yaml(ps, ok, &err) == 0, "valid file refused: %s", err.msg);
    CHECK(ps->p.households_per_grid == 350 && ps->p.staff[0] == 3, "nested keys not applied");
    CHECK(ps->p.cat[0].weight == 0.5, "dotted key not applied");
    CHECK(strcmp(ps->p.scenario_name, "test") == 0, "string not applied");
    CHECK(ps->source[param_find("grid.households") - param_table] == SRC_FILE, "source not recorded");
    CHECK(param_apply_assignment(ps, "grid.households=200", &err) == 0, "%s", err.msg);
    CHECK(ps->p.households_per_grid == 200, "--set does not override the file");
    param_set_free(ps);

    expect_yaml_error("unknown.yaml", "grid:\n  households: 3\n  wrokers: 2\n", "unknown.yaml:3",
                      "did you mean 'grid.workers'");
    expect_yaml_error("range.yaml", "grid.households: -5\n", "range.yaml:1", "out of range");
    expect_yaml_error("type.yaml", "\n\nworld:\n  grids: lots\n", "type.yaml:4", "world.grids");
    expect_yaml_error("broken.yaml", "grid:\n  households: \"350\n  workers: 3\n", "malformed YAML", NULL);
    expect_yaml_error("tabs.yaml", "grid:\n\thouseholds: 3\n", "malformed YAML", "tabs.yaml:2");
    expect_yaml_error("dup.yaml", "grid.households: 3\ngrid:\n  households: 4\n", "given twice", "dup.yaml:3");
    expect_yaml_error("empty.yaml", "", "empty", NULL);
    expect_yaml_error("list.yaml", "grid.households:\n  - 1\n  - 2\n", "list", "list.yaml:2");
    expect_yaml_error("null.yaml", "grid.households:\n", "no value", "grid.households");
    expect_yaml_error("scalar.yaml", "just text\n", "mapping", NULL);
    expect_yaml_error("deep.yaml", "a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g:\n       h:\n        i: 1\n",
                      "nesting", NULL);
    expect_yaml_error("notutf8.yaml", "grid.households: \xff\xfe\n", "malformed YAML", "notutf8.yaml:1");
    ps = param_set_new();
    CHECK(param_load_yaml(ps, "/nonexistent/none.yaml", &err) != 0, "missing file accepted");
    CHECK_CONTAINS(err.msg, "none.yaml");
    CHECK(param_load_yaml(ps, tmpdir, &err) != 0, "directory accepted");
    CHECK_CONTAINS(err.msg, "directory");
    param_set_free(ps);
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 1;
    test_table();
    test_plausible_ranges();
    test_values();
    test_cross_checks();
    test_yaml();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_report("test_params");
}
