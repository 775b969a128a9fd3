/* commands.c -- every command's help and options, in one table. */
#include "commands.h"

#include <string.h>

#include "options.h"

#ifndef SIBSIM_VERSION
#define SIBSIM_VERSION "dev"
#endif

#define RUN_OPTS (OPT_PATHS | OPT_SEED | OPT_THREADS | OPT_FORMAT | OPT_OUT | OPT_QUIET | OPT_STRICT)
#define ANALYSIS_OPTS (OPT_PATHS | OPT_SEED | OPT_THREADS | OPT_FORMAT | OPT_OUT | OPT_QUIET | OPT_STRICT)

static const char common_run[] =
    "  -n, --paths N       simulated futures (default: the scenario's simulation.paths)\n"
    "  -s, --seed S        master seed (default: the scenario's simulation.seed)\n"
    "  -t, --threads T     worker threads (default: all cores); results do not depend on it\n"
    "  -f, --format F      table (default), json or csv\n"
    "  -o, --out FILE      write to FILE (atomically: a temporary file, then rename)\n"
    "  -q, --quiet         no progress bar\n"
    "  --strict            treat warnings about likely mistakes as errors (exit 2)\n";

static const cli_command commands[] = {
    {"run", "run [SCENARIO.json]", "simulate a scenario (default: the built-in Peterborough SIB)",
     "Simulate many futures of the scenario and report, for each financing structure and each\n"
     "investor tranche, the IRR of the expected cash flows and the distribution of each future's\n"
     "IRR, the expected multiple E[back] / E[in], P(loss) over every future and given capital\n"
     "was drawn; what the commissioner pays, cost per true outcome, and the programme's true\n"
     "and measured outcomes. Without a scenario the built-in Peterborough prison SIB is used.\n"
     "\n"
     "Options:\n"
     "%s"
     "  --case NAME         run the scenario's named case (its overrides; see \"cases\")\n"
     "  --paths-out FILE    also write one CSV row per future: its index, the draw of every\n"
     "                      uncertain input and every metric's value (streamed as the run goes)\n",
     RUN_OPTS | OPT_CASE | OPT_PATHS_OUT, 1},
    {"compare", "compare A.json B.json", "two scenarios (or two cases) on common random numbers, B - A",
     "Usage: sibsim compare A.json B.json [OPTIONS]\n"
     "       sibsim compare SCENARIO.json --case B       (the scenario as written vs case B)\n"
     "       sibsim compare SCENARIO.json --case A --case B\n"
     "\n"
     "Run two scenarios on common random numbers -- path i of B uses the random draws of\n"
     "path i of A, with A's seed and number of paths -- and report every metric of both with\n"
     "the difference B - A and its paired standard error. Financing structures pair by name,\n"
     "then by position; the report says which pairs were made and lists any structure without\n"
     "a partner. Tranches and guarantees within a pair pair the same way.\n"
     "\n"
     "Options:\n"
     "%s"
     "  --case NAME         a named case of the scenario (once: B; twice: A then B)\n"
     "  --pair A=B          pair A's structure named A with B's structure named B\n"
     "  --paths-out FILE    one CSV row per future, as for run, with A's, B's and B - A\n",
     RUN_OPTS | OPT_CASE | OPT_PAIR | OPT_PATHS_OUT, 2},
    {"cashflows", "cashflows [SCENARIO.json]", "one future's cash flows for every party, period by period",
     "Usage: sibsim cashflows [SCENARIO.json] [--path K | --case NAME] [--annual] [OPTIONS]\n"
     "\n"
     "The ledger of one future: delivery costs by stage; outcome payments by rule and by payer;\n"
     "for each financing structure the commissioner's outlay, the provider's flows, each\n"
     "tranche's draws, principal repaid, return and guarantee receipts, each guarantor's fees and\n"
     "calls; with totals, followed by that future's metrics, which the totals reconcile with.\n"
     "Without --path it is the expected case -- every uncertain input at its mean, measured =\n"
     "expected, no failure -- the base case of a spreadsheet model; --case NAME applies a named\n"
     "case to it. --path K is future K (from 0) of a run with the scenario's seed: exactly the\n"
     "future `run` simulates as path K.\n"
     "\n"
     "Options:\n"
     "  --path K            future K of the run (0-based), with --seed S\n"
     "  --case NAME         the named case, deterministic as the expected case\n"
     "  --annual            one column a year instead of a period\n"
     "  -s, --seed S        the seed of --path\n"
     "  -f, --format F      table (default), json or csv (one row a line, one column a period)\n"
     "  -o, --out FILE      write to FILE (atomically)\n"
     "  --strict            treat warnings about likely mistakes as errors (exit 2)\n",
     OPT_PATH | OPT_CASE | OPT_ANNUAL | OPT_SEED | OPT_FORMAT | OPT_OUT | OPT_STRICT, 1},
    {"backtest", "backtest [SCENARIO.json]", "settle the deal on its realised record; compare with what happened",
     "Usage: sibsim backtest [SCENARIO.json] [--realised FILE] [--format F] [--out FILE]\n"
     "\n"
     "Settle the contract on a deal's realised MEASURED results -- per cohort and outcome, the\n"
     "treated and comparison figures or the measured effect; which stages ran; when the\n"
     "programme stopped -- run every financing structure on them, and print the figures the\n"
     "record reports beside the model's, then the ledger and the metrics. Every other input is\n"
     "at its mean. The record is the scenario's \"realised\" section, or --realised FILE.\n"
     "Without a scenario, the built-in Peterborough SIB and its record.\n"
     "Exit status 1 when a reported figure falls outside its stated range.\n"
     "\n"
     "Options:\n"
     "  --realised FILE     the realised record (the object a \"realised\" section holds)\n"
     "  --annual            the ledger one column a year\n"
     "  -f, --format F      table (default), json or csv\n"
     "  -o, --out FILE      write to FILE (atomically)\n"
     "  --strict            treat warnings about likely mistakes as errors (exit 2)\n",
     OPT_REALISED | OPT_ANNUAL | OPT_FORMAT | OPT_OUT | OPT_STRICT, 1},
    {"sweep", "sweep [SCENARIO.json]", "a metric over a grid of one or two terms",
     "Usage: sibsim sweep [SCENARIO.json] --param POINTER --from A --to B [--steps N]\n"
     "                    [--param POINTER2 --from A2 --to B2 --steps N2] [--metric M]\n"
     "\n"
     "Run the scenario at every point of a grid of one or two parameters, addressed by JSON\n"
     "Pointer (e.g. /contract/payments/0/price), all on the same seed. The table shows the chosen\n"
     "metric (default: the first tranche's IRR of the expected cash flows) with a chart; --format\n"
     "csv or json gives every metric at every point. --steps defaults to 11.\n"
     "Metrics: GROUP/KEY as in `run --format csv`, or a unique KEY or key ending (\"pooled_irr\",\n"
     "\"irr\", \"expected_moic\", \"p_loss_given_drawn\"), with :p05, :median, :p95 or :sd for\n"
     "another statistic than the mean of a per-future metric.\n"
     "\n"
     "Options:\n"
     "%s",
     ANALYSIS_OPTS | OPT_PARAM | OPT_METRIC, 1},
    {"tornado", "tornado [SCENARIO.json]", "inputs and terms ranked by how far they move a metric",
     "Usage: sibsim tornado [SCENARIO.json] [--metric M] [--pct 0.1] [--paths N]\n"
     "\n"
     "Move each uncertain input to its 10th and 90th percentile, and each term of the contract,\n"
     "the financing and the costs down and up by --pct (default 10%%), and rank them by how far\n"
     "the metric swings. 20,000 paths a run unless --paths is given.\n"
     "\n"
     "Options:\n"
     "%s",
     ANALYSIS_OPTS | OPT_METRIC | OPT_PCT, 1},
    {"solve", "solve [SCENARIO.json]", "the value of a term that makes a metric hit a target",
     "Usage: sibsim solve [SCENARIO.json] --param POINTER [--param POINTER2 ...]\n"
     "                    --target METRIC=VALUE [--from A --to B] [--paths N]\n"
     "\n"
     "Find the value of a term that makes a metric hit a target -- e.g. the price per outcome\n"
     "that gives investors a 7%% IRR on the expected cash flows (--target pooled_irr=0.07), or\n"
     "the trigger that keeps P(loss | capital drawn) at 30%% -- by Brent's method, every\n"
     "evaluation a run on the same seed. Several --param pointers move together (linked terms,\n"
     "such as one price that appears in two rules): all take the value solved for. The range\n"
     "defaults to a tenth to ten times the first parameter's current value, within the field's\n"
     "bounds.\n"
     "Exit status 1 when no value in the range reaches the target (the message says whether the\n"
     "metric does not move there at all, as when a cap binds).\n"
     "\n"
     "Options:\n"
     "%s",
     ANALYSIS_OPTS | OPT_PARAM | OPT_TARGET, 1},
    {"converge", "converge [SCENARIO]", "estimates and their SE as the paths double",
     "Usage: sibsim converge [SCENARIO.json] [--metric M] [--precision SE] [--paths MAX]\n"
     "\n"
     "Estimate the metric with 1024, 2048, 4096, ... paths (each run extends the last) and stop\n"
     "when its standard error is at most --precision, or at --paths (default 1,048,576).\n"
     "\n"
     "Options:\n"
     "%s",
     ANALYSIS_OPTS | OPT_METRIC | OPT_PRECISION, 1},
    {"pilot-value", "pilot-value [SCENARIO]", "what gating later stages on the pilot is worth",
     "Usage: sibsim pilot-value [SCENARIO.json] [--paths N]\n"
     "\n"
     "The value of the pilot's information: the scenario with every stage committed up front\n"
     "against the scenario with its gates, on common random numbers. Reports what gating changes\n"
     "-- net value, costs, payments, investor returns -- with paired standard errors. The\n"
     "scenario needs at least one gate.\n"
     "\n"
     "Options:\n"
     "%s",
     ANALYSIS_OPTS, 1},
    {"tui", "tui [SCENARIO.json]", "interactive what-if session in the terminal",
     "Usage: sibsim tui [SCENARIO.json] [--threads T]\n"
     "\n"
     "The interactive what-if session: the scenario's fields as a tree on the left, live results\n"
     "on the right. Move with the arrows (or j/k), nudge a number with + and - (] and [ for 10%%),\n"
     "type a value with Enter; every edit restarts the simulation, which refines in the\n"
     "background. u undoes, s saves (atomically, keeping a .bak), ? lists every key, q quits.\n",
     OPT_THREADS, 1},
    {"validate", "validate SCENARIO.json", "check scenarios and report the first error in each",
     "Usage: sibsim validate [--strict] [--verbose] SCENARIO.json...\n"
     "\n"
     "Load each scenario, check every field, and print either a one-line summary or the first\n"
     "error as FILE:LINE:COL (syntax) or FILE: /json/pointer: message (meaning); then any\n"
     "warning about a likely mistake (a share written in percent, a trigger nothing reaches,\n"
     "a commitment below the cost it funds...) as FILE: /json/pointer: warning: message.\n"
     "--verbose also lists the scenario's sources, with their addresses, and each assumption\n"
     "beside its field's value. Exit status 2 when any scenario is invalid, or, with --strict,\n"
     "has a warning.\n",
     0, 0},
};

const cli_command *cli_command_find(const char *name) {
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

void cli_usage_main(FILE *out) {
    fprintf(out,
            "sibsim %s -- Monte Carlo simulator for social impact bonds and payment by results\n"
            "\n"
            "Usage: sibsim COMMAND [OPTIONS]\n"
            "\n"
            "Commands:\n",
            SIBSIM_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-26s %s\n", commands[i].synopsis, commands[i].summary);
    fprintf(out, "  %-26s %s\n", "help [COMMAND]", "show help for a command");
    fprintf(out, "\n"
                 "Options:\n"
                 "  -h, --help              show this help\n"
                 "  -V, --version           show the version\n"
                 "\n"
                 "Exit status: 0 success, 1 run or output failure, 2 bad input.\n"
                 "Scenario format: docs/scenario-format.md. Methodology: docs/model.md.\n");
}

void cli_usage(FILE *out, const cli_command *c) {
    if (strncmp(c->help, "Usage:", 6) != 0)
        fprintf(out, "Usage: sibsim %s [OPTIONS]\n\n", c->synopsis);
    /* Every help text has at most one %s (the common run options) and
     * doubled %% for a percent sign. */
    fprintf(out, c->help, common_run);
    fprintf(out, "  -h, --help          show this help\n");
}

const char *cli_option_name(unsigned opt) {
    static const char *const names[] = {"--paths", "--seed", "--threads", "--format", "--out",
                                        "--quiet", "--param", "--metric", "--target", "--pct",
                                        "--precision", "--case", "--paths-out", "--path",
                                        "--annual", "--realised", "--pair", "--strict"};
    for (unsigned k = 0; k < sizeof names / sizeof names[0]; k++)
        if (opt == 1u << k) return names[k];
    return "?";
}
