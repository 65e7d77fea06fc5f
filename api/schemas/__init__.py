"""Every request and response schema, one module per resource, re-exported here so that imports keep working.

Money and rates are strict decimal strings: never floats, never rounded.

Modules (one line each; ``tests/unit/test_module_maps.py`` keeps this list equal to the files):

- ``applications``: Applications: intake, the queue, transitions, events and notices
- ``borrowers``: Borrowers: registration and the stored record
- ``complaints``: The complaint register (SPEC §9): intake, transitions, the register, the analysis
- ``fields``: Strict fields: exact money and rates as decimal strings, strict ints and booleans, output amounts
- ``health``: The health check
- ``imports``: Bulk imports from the core system: the summary every import answers with
- ``loan_snapshots``: Newer snapshots of a stored loan (SPEC §8)
- ``loans``: Loan snapshots from the core system
- ``plans``: Plan parameters (SPEC §4) and the computed plan: schedule, totals, metrics, violations
- ``portfolio``: The portfolio what-if
- ``reports``: The quarterly report
- ``rulesets``: The versioned rule sets (GET /rulesets)
- ``simulations``: The assessment and the stateless what-if (POST /simulations)
"""

from __future__ import annotations

from api.schemas.applications import (  # noqa: F401
    ApplicationCreateSchema,
    ApplicationPageSchema,
    ApplicationQueryArgsSchema,
    ApplicationSchema,
    ApprovalSchema,
    DecisionCreateSchema,
    DecisionSchema,
    DocumentRequestCreateSchema,
    DocumentRequestSchema,
    DocumentsReceivedSchema,
    EventListSchema,
    EventSchema,
    ExtensionSchema,
    NoticeQueryArgsSchema,
    ReceivedDocumentSchema,
    ResponseSchema,
    WithdrawalSchema,
)
from api.schemas.borrowers import (  # noqa: F401
    BorrowerCreateSchema,
    BorrowerSchema,
)
from api.schemas.fields import (  # noqa: F401
    AMOUNT_PATTERN,
    CENTS,
    MONEY_PATTERN,
    RATE_PATTERN,
    Money,
    Rate,
    SignedAmount,
    StrictBoolean,
    StrictInteger,
    StrictSchema,
    id_field,
    money_openapi,
)
from api.schemas.health import (  # noqa: F401
    HealthSchema,
)
from api.schemas.loans import (  # noqa: F401
    LoanCreateSchema,
    LoanSchema,
)
from api.schemas.plans import (  # noqa: F401
    ALL,
    FIELD_DESCRIBERS,
    ForgiveSchema,
    MoneyOrAll,
    Percent,
    PlanMetricsSchema,
    PlanParamsSchema,
    PlanSchema,
    ScheduleLineSchema,
    TotalsSchema,
    ViolationSchema,
    _percent_openapi,
)
from api.schemas.portfolio import (  # noqa: F401
    LOAN_KEY_PATTERN,
    WHAT_IF_START,
    PortfolioBorrowerSchema,
    PortfolioJobSchema,
    PortfolioLoanSchema,
    WhatIfAggregateSchema,
    WhatIfItemSchema,
    WhatIfQuerySchema,
    WhatIfRequestSchema,
    WhatIfSchema,
    _what_if_start,
)
from api.schemas.reports import (  # noqa: F401
    REPORT_SHARE_PATTERN,
    QuarterlyReportArgsSchema,
    QuarterlyReportSchema,
    ReportBreachesSchema,
    ReportBreachSchema,
    ReportDecisionItemSchema,
    ReportDecisionsSchema,
    ReportFigureSchema,
    ReportIntakeSchema,
    ReportMandatorySchema,
    ReportPeriodSchema,
    ReportRefusalItemSchema,
    ReportRefusalsSchema,
    ReportReliefItemSchema,
    ReportReliefSchema,
    _figures,
)
from api.schemas.rulesets import (  # noqa: F401
    PenaltyCapsSchema,
    RuleSetListSchema,
    RuleSetSchema,
)
from api.schemas.simulations import (  # noqa: F401
    AssessmentSchema,
    IncomeFiguresSchema,
    IncomeSchema,
    MandatorySchema,
    RecommendedPlanSchema,
    RuleResultSchema,
    RuleSetRefSchema,
    SimulationBorrowerSchema,
    SimulationLoanSchema,
    SimulationQuerySchema,
    SimulationRequestSchema,
    SimulationSchema,
    WaterfallStepSchema,
)
