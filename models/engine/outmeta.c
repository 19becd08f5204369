/* outmeta.c: human names, direction and practical threshold of every reported output
 * (outmeta.h). The Chinese names follow the usage of Chinese government work reports
 * (按时办结率, 群众满意度 ...). "Better" is for residents and the public purse: more
 * requests solved, sooner, at lower cost; shares that only move work between levels,
 * and counts that describe activity, are "neither".
 *
 * Thresholds ("negligible") by kind of quantity, in the field's own units:
 *   fractions and scores in [0,1]  0.005 (half a percentage point)
 *   durations of a request (hours)  2.4 (0.1 day) or 1% of the reference
 *   counts                          1, or 1% of the reference
 *   staff hours                     1, or 1% of the reference
 *   money (yuan)                    100, or 0.5% of the reference
 * whichever is larger (out_negligible). */
#include "outmeta.h"

#include <math.h>

#define H BETTER_HIGHER
#define L BETTER_LOWER
#define N BETTER_NEITHER
#define FR(en, zh, b, head) {en, zh, b, 0.005, 0, head}    /* fraction or score */
#define DUR(en, zh, b, head) {en, zh, b, 2.4, 0.01, head}  /* hours a request takes */
#define CNT(en, zh, b) {en, zh, b, 1, 0.01, 0}             /* count */
#define HRS(en, zh, b) {en, zh, b, 1, 0.01, 0}             /* staff or members' hours */
#define YUAN(en, zh, b, head) {en, zh, b, 100, 0.005, head}

const struct out_meta summary_meta[N_SUMMARY] = {
    [S_ARISEN] = CNT("Requests that arose", "诉求发生量", N),
    [S_RESOLVED] = CNT("Requests resolved", "诉求办结量", H),
    [S_RESOLVED_ON_TIME] = CNT("Requests resolved on time (count)", "按时办结量", H),
    [S_ON_TIME_RATE] = FR("Requests resolved on time", "按时办结率", H, 1),
    [S_TTR_MEAN] = DUR("Mean time to resolve", "平均解决时长", L, 0),
    [S_TTR_MEDIAN] = DUR("Median time to resolve", "解决时长中位数", L, 0),
    [S_TTR_P90] = DUR("Time to resolve, slowest tenth", "解决时长(90%分位)", L, 0),
    [S_SHARE_GRID] = FR("Share solved in the grid", "网格内解决比例", H, 1),
    [S_SHARE_COMMUNITY] = FR("Share solved by the community", "社区解决比例", N, 0),
    [S_SHARE_STREET] = FR("Share solved by a street", "街道解决比例", N, 0),
    [S_SHARE_DISTRICT] = FR("Share solved by the district", "区级解决比例", N, 0),
    [S_ESCALATIONS] = CNT("Requests passed up a level", "上报流转次数", L),
    [S_ABANDONED] = CNT("Requests residents gave up on", "群众放弃诉求数", L),
    [S_ABANDON_RATE] = FR("Share of requests given up", "诉求放弃率", L, 0),
    [S_BACKLOG] = CNT("Requests open at the end", "期末在办诉求数", L),
    [S_UNKNOWN] = CNT("Problems not yet known at the end", "期末未发现问题数", L),
    [S_OPEN_PAST_DEADLINE] = CNT("Open requests past their deadline", "期末超期未办结诉求数", L),
    [S_SAT_MEAN] = FR("Residents' satisfaction", "群众满意度", H, 1),
    [S_SAT_SD] = FR("Spread of satisfaction", "满意度离散程度", N, 0),
    [S_TRUST_MEAN] = FR("Residents' trust", "群众信任度", H, 1),
    [S_COST_TOTAL] = YUAN("Staff pay", "人员经费", L, 0),
    [S_COST_PER_RESOLVED] = {"Cost per resolved request", "每件办结成本", L, 1, 0.005, 1},
    [S_MEETINGS_HELD] = CNT("Joint meetings held", "联席会议召开次数", N),
    [S_RESOLVED_BY_MEETINGS] = CNT("Requests resolved by joint meetings", "联席会议解决诉求数", N),
    [S_ESCALATED_BACKLOG_MEAN] = CNT("Requests waiting at streets and district (mean)", "街道及区级平均积压诉求数", L),
    [S_DOCKED_SKIPS] = CNT("Requests passed straight to a street (docking)", "直接对接街道部门的诉求数", N),
    [S_SPEND_CENTRES] = YUAN("Running cost of service centres", "党群服务中心运行经费", L, 0),
    [S_SPEND_SUBSIDIES] = YUAN("Grid subsidies", "网格员补贴", L, 0),
    [S_SPEND_TOTAL] = YUAN("Total spending", "总支出", L, 1),
    [S_STAFF_QUITS] = CNT("Staff who quit", "人员流失数", L),
    [S_VACANT_POSTS_MEAN] = CNT("Empty posts (mean)", "平均空缺岗位数", L),
    [S_POSTS_UNFUNDED] = CNT("Posts without funding", "无经费保障岗位数", L),
    [S_EVENTS] = CNT("Events simulated", "模拟事件数", N),
    [S_VOL_OFFERED] = HRS("Party members' hours offered", "党员志愿服务时长(提供)", H),
    [S_VOL_USED] = HRS("Party members' hours used", "党员志愿服务时长(使用)", H),
    [S_VOL_USED_REQUESTS] = HRS("Members' hours on requests", "党员办理诉求时长", N),
    [S_VOL_USED_WISHES] = HRS("Members' hours on micro-wishes", "党员认领微心愿时长", N),
    [S_MEMBER_RESOLVED] = CNT("Requests resolved by party members", "党员办结诉求数", N),
    [S_WISH_ISSUED] = CNT("Micro-wish cards issued", "微心愿发布数", N),
    [S_WISH_FULFILLED] = CNT("Micro-wish cards fulfilled", "微心愿实现数", H),
    [S_WISH_RATE] = FR("Micro-wishes fulfilled", "微心愿实现率", H, 0),
    [S_WISH_UNIT_HOURS] = HRS("Co-building units' hours on micro-wishes", "共建单位微心愿投入时长", N),
    [S_WISH_SPENT] = YUAN("Spent on micro-wishes", "微心愿物资支出", N, 0),
    [S_NEEDS_RAISED] = CNT("Needs listed", "需求清单事项数", N),
    [S_NEEDS_LAPSED] = CNT("Needs dropped unmatched", "未对接需求数", L),
    [S_ITEMS_AGREED] = CNT("Co-building projects agreed", "项目清单事项数", H),
    [S_ITEMS_COMPLETED] = CNT("Co-building projects completed", "共建项目完成数", H),
    [S_ITEMS_STALLED] = CNT("Co-building projects stalled", "共建项目停滞数", L),
    [S_ITEMS_RATE] = FR("Co-building projects completed (share)", "共建项目完成率", H, 0),
    [S_PROJECTS_SPENT] = YUAN("Paid to co-building projects", "共建项目投入资金", N, 0),
    [S_TASK_HOURS_BOUGHT] = HRS("Task hours bought", "购买服务工时", N),
    [S_SPEND_TASKS] = YUAN("Spent on bought task hours", "购买服务支出", L, 0),
    [S_UNSOLVED] = CNT("Requests closed unsolved", "未解决即结案诉求数", L),
    [S_REOPENED] = CNT("Cases reopened at the follow-up call", "回访重办次数", L),
    [S_PUSHED_UP] = CNT("Solvable cases pushed up", "可解决却上推的诉求数", L),
    [S_TTC_MEDIAN] = DUR("Median time to close", "办结时长中位数", L, 1),
    [S_TTC_P90] = DUR("Time to close, slowest tenth", "办结时长(90%分位)", L, 0),
    [S_TTC_WITHIN_7D] = FR("Share closed within 7 days", "7日内办结率", H, 1),
    [S_WAITS] = CNT("Waits on a third party", "等待第三方次数", L),
    [S_WAIT_MEAN] = DUR("Mean wait on a third party", "平均等待第三方时长", L, 0),
    [S_PENDING_END] = CNT("Requests waiting at the end", "期末等待中诉求数", L),
    [S_SPEND_INVESTMENT] = YUAN("Investment written off", "投资折旧", L, 0),
    [S_COST_PER_ON_TIME] = {"Cost per request resolved on time", "每件按时办结成本", L, 1, 0.005, 0},
    [S_SAT_START] = FR("Satisfaction at the start", "期初满意度", N, 0),
    [S_TRUST_START] = FR("Trust at the start", "期初信任度", N, 0),
    [S_TRUST_SD] = FR("Spread of trust", "信任度离散程度", N, 0),
    [S_SENSE_OF_GAIN] = FR("Households with a sense of gain", "群众获得感(满意度提升户比例)", H, 0),
    [S_TRUST_GAP_END] = FR("Trust gap, urban minus resettled households", "城市居民与安置居民信任度差距", L, 0),
    [S_CONTACT_VISITS_STAFF] = CNT("Home visits by staff", "工作人员入户走访次数", H),
    [S_CONTACT_VISITS_MEMBERS] = CNT("Home visits by party members", "党员入户走访次数", H),
    [S_VOL_USED_VISITS] = HRS("Members' hours on home visits", "党员入户走访时长", N),
    [S_CONTACT_WISH_HOUSEHOLDS] = CNT("Households whose micro-wish came true", "微心愿实现户数", H),
    [S_MEETING_SETTLED] = CNT("Waits settled by joint meetings", "联席会议协调解决的等待件数", H),
    [S_UNIT_HOURS_OFFERED] = HRS("Hours offered by co-building units' professionals", "共建单位专业人员提供服务时长", H),
    [S_UNIT_HOURS_USED] = HRS("Hours co-building units' professionals served", "共建单位专业人员实际服务时长", N),
    [S_UNIT_RESOLVED] = CNT("Requests resolved by co-building units' professionals", "共建单位专业人员办结诉求数", N),
    [S_REQUESTS_PREVENTED] = CNT("Requests prevented by co-building projects", "共建项目源头减少的诉求数", H),
    [S_PRESENCE_MEAN] = FR("Presence of grid staff among residents", "网格服务可及度", H, 0),
};

const struct out_meta level_meta[N_LEVEL_FIELDS] = {
    [L_ENTERED] = CNT("Requests reaching", "进入本级的诉求数", N),
    [L_RESOLVED] = CNT("Requests resolved", "本级办结诉求数", N),
    [L_ABANDONED] = CNT("Requests given up", "本级放弃诉求数", L),
    [L_ESCALATED] = CNT("Requests passed up", "本级上报诉求数", N),
    [L_OPEN] = CNT("Requests open at the end", "本级期末在办诉求数", L),
    [L_STAFF] = CNT("Staff", "工作人员数", N),
    [L_UTILISATION] = FR("Staff utilisation", "人员工作负荷率", N, 0),
    [L_ARRIVAL_RATE] = {"Requests arriving per hour", "每小时诉求到达量", N, 0, 0.01, 0},
    [L_WAIT_MEAN] = DUR("Mean wait in the queue", "平均排队时长", L, 0),
    [L_WAIT_LONG_SHARE] = FR("Share of long waits", "长时间等待比例", L, 0),
    [L_ABANDON_SHARE] = FR("Share given up while queueing", "排队放弃比例", L, 0),
    [L_TIME_MEAN] = DUR("Mean time spent", "平均停留时长", L, 0),
    [L_QUEUE_MEAN] = CNT("Requests queueing (mean)", "平均排队诉求数", L),
    [L_NUMBER_MEAN] = CNT("Requests present (mean)", "平均在办诉求数", L),
    [L_HOURS_DUTY] = HRS("Staff duty hours", "在岗工时", N),
    [L_HOURS_REQUESTS] = HRS("Staff hours on requests", "办理诉求工时", N),
    [L_HOURS_TASKS] = HRS("Staff hours on top-down tasks", "上级交办任务工时", L),
    [L_HOURS_PROACTIVE] = HRS("Staff hours on proactive work", "主动服务工时", H),
    [L_HOURS_IDLE] = HRS("Staff hours unused", "空闲工时", N),
    [L_TASKS_ARRIVED] = CNT("Top-down tasks arrived", "上级交办任务数", L),
    [L_TASKS_REFUSED] = CNT("Top-down tasks refused", "拒收任务数", N),
    [L_TASKS_DONE] = CNT("Top-down tasks done", "完成交办任务数", N),
    [L_TASKS_LATE] = CNT("Top-down tasks late", "逾期任务数", L),
    [L_TASK_BACKLOG_HOURS] = HRS("Task backlog at the end (hours)", "期末积压任务工时", L),
    [L_VISITS_TARGET] = CNT("Home visits due", "应走访次数", N),
    [L_VISITS_DONE] = CNT("Home visits made", "实际走访次数", H),
    [L_VISIT_COVERAGE] = FR("Home visits made (share of due)", "走访完成率", H, 0),
    [L_UNSOLVED] = CNT("Requests closed unsolved", "未解决即结案诉求数", L),
    [L_REOPENED] = CNT("Cases reopened", "回访重办次数", L),
    [L_PUSHED_UP] = CNT("Solvable cases pushed up", "可解决却上推的诉求数", L),
};

const struct out_meta category_meta[N_CATEGORY_FIELDS] = {
    [C_ARISEN] = CNT("Requests that arose", "诉求发生量", N),
    [C_RESOLVED] = CNT("Requests resolved", "诉求办结量", H),
    [C_RESOLVED_ON_TIME] = CNT("Requests resolved on time", "按时办结量", H),
    [C_ABANDONED] = CNT("Requests given up", "放弃诉求数", L),
    [C_TTR_MEAN] = DUR("Mean time to resolve", "平均解决时长", L, 0),
    [C_UNSOLVED] = CNT("Requests closed unsolved", "未解决即结案诉求数", L),
    [C_REOPENED] = CNT("Cases reopened", "回访重办次数", L),
    [C_TTC_MEDIAN] = DUR("Median time to close", "办结时长中位数", L, 0),
    [C_TTC_P90] = DUR("Time to close, slowest tenth", "办结时长(90%分位)", L, 0),
    [C_TTC_WITHIN_7D] = FR("Share closed within 7 days", "7日内办结率", H, 0),
    [C_WAITS] = CNT("Waits on a third party", "等待第三方次数", L),
    [C_WAIT_MEAN] = DUR("Mean wait on a third party", "平均等待第三方时长", L, 0),
};

const char *const level_label_en[N_LEVELS] = {"grid", "community", "street", "district"};
const char *const level_label_zh[N_LEVELS] = {"网格", "社区", "街道", "区级"};
const char *const category_label_en[N_CATEGORIES] = {
    "utilities", "housing and property", "environment", "safety", "disputes",
    "elderly care", "children", "employment", "administrative services"};
const char *const category_label_zh[N_CATEGORIES] = {
    "水电气暖", "房屋物业", "环境卫生", "治安安全", "矛盾纠纷",
    "养老服务", "儿童关爱", "就业服务", "政务服务"};

const char *out_better_name(int better)
{
    return better > 0 ? "higher" : better < 0 ? "lower" : "neither";
}

double out_negligible(const struct out_meta *m, double ref)
{
    double rel = isfinite(ref) ? m->negligible_rel * fabs(ref) : 0;
    return rel > m->negligible ? rel : m->negligible;
}
