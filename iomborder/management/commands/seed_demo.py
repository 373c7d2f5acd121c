import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from consultation import services as consultation
from consultation.models import DraftVersion
from followup import services as followup
from followup.models import ProgressReport
from frameworks.models import AssessmentFramework, InternationalReference, MemberState, SupportArea, ThematicArea
from frameworks.services import library_load
from reviews import gap_matrix, provisions
from reviews.instruments import instrument_create
from reviews.models import ReviewCycle
from reviews.permissions import Role, ensure_groups, grant_role
from reviews.services import (
    assessment_update,
    recommendation_create,
    review_create,
    review_transition,
    review_update,
)

DEMO_STATES = [
    {"code": "XD", "code3": "XDM", "name_en": "Demoland", "name_fr": "Démolande", "name_es": "Demolandia"},
    {"code": "XE", "code3": "XEX", "name_en": "Examplia", "name_fr": "Exemplie", "name_es": "Ejemplia"},
]

# (username, first name, last name, groups, member state code or None)
ACCOUNTS = [
    ("adviser", "Amina", "Diallo", ["Advisers"], None),
    ("manager", "Mateo", "García", ["Managers"], None),
    ("counterpart", "Claire", "Martin", ["Counterparts"], "XD"),
    ("counterpart2", "Kofi", "Mensah", ["Counterparts"], "XE"),
    ("admin", "Ana", "Admin", ["Administrators"], None),
]

DEMOLAND_INSTRUMENTS = [
    ("Border Management Act", "law", "legal_policy", "2019-03-14", "in_force", "Act No. 12/2019"),
    (
        "Immigration and Residence Regulations",
        "regulation",
        "legal_policy",
        "2021-07-01",
        "in_force",
        "Decree 2021-448",
    ),
    (
        "National Integrated Border Management Strategy 2022–2026",
        "strategy",
        "strategic_documents",
        "2022-01-20",
        "in_force",
        "",
    ),
    ("IBM Action Plan 2023–2025", "action_plan", "action_plans", "2023-02-10", "in_force", ""),
    (
        "Decree establishing the Inter-Agency Border Coordination Committee",
        "institutional",
        "institutional",
        "2020-11-05",
        "in_force",
        "Decree 2020-311",
    ),
    (
        "SOP on refusal of entry and referral of vulnerable persons",
        "sop",
        "processes",
        "2022-09-30",
        "in_force",
        "SOP-BP-07",
    ),
    ("Bill on the smuggling of migrants", "law", "legal_policy", "2025-05-12", "draft", "Bill 88/2025"),
    ("Aliens Act (1978)", "law", "legal_policy", "1978-06-01", "repealed", "Act No. 5/1978"),
]

BMA, STRATEGY, SOP = DEMOLAND_INSTRUMENTS[0][0], DEMOLAND_INSTRUMENTS[2][0], DEMOLAND_INSTRUMENTS[5][0]
COMMITTEE, SMUGGLING_BILL = DEMOLAND_INSTRUMENTS[4][0], DEMOLAND_INSTRUMENTS[6][0]

# Part of the criteria assessed in the Demoland review:
# (code, rating or None for not applicable, finding, titles of the instruments cited).
DEMOLAND_RATINGS = [
    (
        "SD-01",
        3,
        "The National IBM Strategy 2022–2026 was adopted by the Council of Ministers and covers land, "
        "air and sea borders. It lacks an explicit human rights chapter and a mid-term review.",
        [STRATEGY],
    ),
    (
        "SD-02",
        2,
        "The strategy names all border agencies, but veterinary and phytosanitary services are absent "
        "from its governance, and it is not harmonised with the strategies of neighbouring states.",
        [STRATEGY],
    ),
    (
        "LP-01",
        2,
        "The Border Management Act defines checks and refusal of entry, but gives no right to written "
        "reasons or to an appeal against a refusal of entry.",
        [BMA],
    ),
    (
        "LP-02",
        1,
        "No provision requires referral to the asylum authority at the border; referral depends on the "
        "officer on duty.",
        [BMA, SOP],
    ),
    (
        "LP-07",
        1,
        "Smuggling is punished under the general criminal code without the element of financial or "
        "material benefit, and the draft bill does not yet exempt smuggled migrants from prosecution.",
        [SMUGGLING_BILL],
    ),
    (
        "IF-02",
        3,
        "The Inter-Agency Border Coordination Committee meets quarterly with minutes; local committees "
        "exist at two of the five main crossing points.",
        [COMMITTEE],
    ),
    ("PP-01", 2, "SOPs exist for first-line checks; second-line procedures are not written down.", [SOP]),
    ("PP-07", None, "", []),
]


# Recommendations of the Demoland review: (support area, thematic area, priority, time frame, institution, text,
# rationale, linked criteria, references).
DEMOLAND_RECOMMENDATIONS = [
    (
        "legal_policy",
        "border_management",
        "high",
        "short",
        "Ministry of the Interior",
        "Amend the Border Management Act so that every refusal of entry is given in writing, with its reasons, in a "
        "language the person understands, and can be appealed.",
        "Refusals are currently notified orally and cannot be challenged.",
        ["LP-01"],
        ["ohchr-border-principles"],
    ),
    (
        "legal_policy",
        "border_management",
        "high",
        "short",
        "Ministry of the Interior; National Asylum Office",
        "Introduce a legal duty for border officials to refer anyone who expresses a fear of return to the asylum "
        "authority, at every border crossing point and in the airport transit zone.",
        "Referral depends on the officer on duty.",
        ["LP-02"],
        ["refugee-convention", "gcm-11"],
    ),
    (
        "legal_policy",
        "migrant_smuggling",
        "medium",
        "medium",
        "Ministry of Justice",
        "Revise the bill on the smuggling of migrants to require a financial or other material benefit and to exempt "
        "smuggled migrants and humanitarian assistance from prosecution.",
        "Aligns national law with articles 3, 5 and 6 of the Smuggling Protocol.",
        ["LP-07"],
        ["smuggling-protocol", "gcm-9"],
    ),
    (
        "processes",
        "border_management",
        "medium",
        "short",
        "Border Police Directorate",
        "Write standard operating procedures for second-line checks and train all shift supervisors on them.",
        "",
        ["PP-01"],
        ["gcm-11"],
    ),
    (
        "institutional",
        "integrated_border_management",
        "low",
        "long",
        "Inter-Agency Border Coordination Committee",
        "Set up local coordination committees at the three main crossing points that still lack one.",
        "",
        ["IF-02"],
        ["gcm-11", "gcm-23"],
    ),
]


DEMOLAND_THEMES = ["border_management", "integrated_border_management", "migrant_smuggling"]
# The 2023 review of Demoland, today's review's previous cycle: (code, rating, finding).
DEMOLAND_2023_RATINGS = [
    ("SD-01", 2, "The IBM Strategy was in preparation; the 2017 strategy had expired without an evaluation."),
    ("SD-02", 1, "The border agencies met only ad hoc; no strategy named their roles."),
    ("LP-01", 1, "The Aliens Act of 1978 governed entry and refusal; the Border Management Act was a bill."),
    ("LP-02", 1, "Referral of asylum seekers at the border was not provided for."),
    ("IF-02", 2, "An inter-agency committee was set up by decree in 2020 and had met twice."),
    ("PP-01", 1, "First-line checks followed unwritten practice at each crossing point."),
]
# (support area, text, position, agreed wording, reason, actions: (title, indicator, completed, due date))
DEMOLAND_2023_RECOMMENDATIONS = [
    (
        "strategic_documents",
        "Adopt a National Integrated Border Management Strategy with a costed action plan.",
        "accepted",
        "",
        "",
        [("Adopt the IBM Strategy 2022–2026", "Strategy adopted by the Council of Ministers", True, "2026-06-30")],
    ),
    (
        "processes",
        "Write standard operating procedures for first-line and second-line checks.",
        "amended",
        "Write standard operating procedures for first-line checks, then second-line checks.",
        "Second-line procedures need the new Border Management Act first.",
        [
            (
                "Adopt the SOP on first-line checks",
                "SOP adopted and in use at the five main crossing points",
                True,
                "2026-06-30",
            ),
            ("Adopt the SOP on second-line checks", "SOP adopted", False, "2027-06-30"),
        ],
    ),
    (
        "legal_policy",
        "Give every person refused entry written reasons and a right of appeal.",
        "accepted",
        "",
        "",
        [
            (
                "Amend the Border Management Act on refusals of entry",
                "Amendment adopted by Parliament",
                False,
                "2026-06-30",
            )
        ],
    ),
    (
        "institutional",
        "Create local coordination committees at every border crossing point.",
        "noted",
        "",
        "The budget of 2024 does not allow it; to be considered in 2026.",
        [],
    ),
]


# The Border Management Act of Demoland as its file holds it: split into its articles by the same worker code an
# adviser uses (reviews.provisions), and half of the review's gap matrix filled from them.
BORDER_MANAGEMENT_ACT = """REPUBLIC OF DEMOLAND
BORDER MANAGEMENT ACT, No. 12/2019

PART I - PRELIMINARY

Article 1. Object
This Act governs the crossing of the borders of Demoland, the checks of persons and the powers of border officers.

Article 2. Border crossing points
The borders may be crossed only at the border crossing points designated by decree of the Minister of the
Interior, during their opening hours.

PART II - BORDER CHECKS

Article 3. Checks on entry and exit
Every person crossing the border is checked by a border officer, who verifies the travel document and the
conditions of entry.

Article 4. Refusal of entry
A person who does not fulfil the conditions of entry is refused entry by a decision of the head of the border
crossing point.

Article 4 bis. Right to leave
No citizen of Demoland may be prevented from leaving the country except by a decision of a court.

PART III - OFFENCES

Article 9. Facilitation of illegal entry
Whoever helps a foreign national to enter Demoland in breach of this Act, for a financial or other material
benefit, is liable to imprisonment of up to eight years.

Article 10. Persons smuggled
A person who has been the object of an offence under Article 9 is not prosecuted for the illegal entry alone.

Article 11. Passenger data
Air carriers transmit to the Border Police the data of their passengers' travel documents before departure.
"""
# (standard provision, article of the Act or None, verdict, comment): half of the review's matrix.
DEMOLAND_GAP_MATRIX = [
    ("smp-art-6", "9", "partly", "Criminalised, without the aggravating circumstances of article 6(3)."),
    ("smp-art-5", "10", "meets", ""),
    ("smp-art-3", "9", "partly", "The definition follows the Protocol, without the notion of procuring."),
    ("iccpr-art-12", "4 bis", "meets", ""),
    ("chicago-art-13", "3", "meets", ""),
    ("annex9-api", "11", "partly", "API only: no rule on PNR, and no data protection safeguard."),
    ("refugee-art-31", None, "does_not", "No provision shields refugees who enter irregularly from penalties."),
]


class Command(BaseCommand):
    help = (
        "Create the demonstration data: the fictional states Demoland (XD) and Examplia (XE), their national "
        "instruments and reviews, and the accounts adviser, manager, counterpart, counterpart2 and admin. "
        "Without --password, prints generated passwords. Refuses to run when DEBUG is off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="One password for every demo account (otherwise generated).")
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, password=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords; it refuses to run when DEBUG is off. "
                "Use --force if this really is a demonstration site."
            )
        if not AssessmentFramework.objects.exists():
            library_load()
        with transaction.atomic():
            passwords = self._accounts(password)
            self._demo_data()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts:"))
        for username, pw in passwords.items():
            self.stdout.write(f"  {username:<13} {pw}")

    def _accounts(self, password):
        User = get_user_model()
        groups = ensure_groups()
        for state in DEMO_STATES:
            MemberState.objects.update_or_create(
                code=state["code"], defaults={**state, "region": "other", "is_fictional": True}
            )
        states = {s.code: s for s in MemberState.objects.filter(code__in=["XD", "XE"])}
        passwords = {}
        for username, first, last, group_names, state_code in ACCOUNTS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.org"
            user.member_state = states.get(state_code)
            user.organisation = f"Ministry of the Interior of {states[state_code].name_en}" if state_code else "IOM"
            user.is_staff = user.is_superuser = username == "admin"
            passwords[username] = password or secrets.token_urlsafe(9)
            user.set_password(passwords[username])
            user.save()
            user.groups.set([groups[name] for name in group_names])
        return passwords

    def _demo_data(self):
        User = get_user_model()
        adviser = User.objects.get(username="adviser")
        demoland, examplia = MemberState.objects.get(code="XD"), MemberState.objects.get(code="XE")
        framework = AssessmentFramework.objects.filter(code="iom-ibm-policy-review").order_by("-version").first()
        areas = {a.code: a for a in SupportArea.objects.all()}

        if not ReviewCycle.objects.filter(member_state=demoland).exists():
            previous = self._demoland_2023(framework, areas)
            for title, kind, area, date, status, reference in DEMOLAND_INSTRUMENTS:
                instrument_create(
                    member_state=demoland,
                    by=adviser,
                    title=title,
                    instrument_type=kind,
                    support_area=areas[area],
                    date=datetime.date.fromisoformat(date),
                    status=status,
                    reference=reference,
                )
            # Today's review of Demoland is the follow-up cycle of the 2023 one.
            review = followup.next_cycle_open(review=previous, by=adviser)
            review_update(
                review=review,
                by=adviser,
                title="Review of Demoland's border management and counter-smuggling frameworks",
                start_date=datetime.date(2026, 10, 1),
                due_date=datetime.date(2027, 3, 31),
            )
            review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=adviser)
            instruments = {i.title: i for i in demoland.instruments.all()}
            self._border_management_act(review, instruments["Border Management Act"], adviser)
            for code, rating, finding, cited in DEMOLAND_RATINGS:
                assessment = review.assessments.get(criterion__code=code)
                assessment_update(
                    assessment=assessment,
                    by=adviser,
                    version=assessment.version,
                    rating=rating,
                    not_applicable=rating is None,
                    finding=finding,
                    evidence=[instruments[title] for title in cited],
                )
            areas_by_code = {a.code: a for a in SupportArea.objects.all()}
            themes = {t.code: t for t in ThematicArea.objects.all()}
            for (
                area,
                theme,
                priority,
                time_frame,
                institution,
                text,
                rationale,
                codes,
                refs,
            ) in DEMOLAND_RECOMMENDATIONS:
                recommendation_create(
                    review=review,
                    by=adviser,
                    text=text,
                    rationale=rationale,
                    support_area=areas_by_code[area],
                    thematic_area=themes[theme],
                    priority=priority,
                    time_frame=time_frame,
                    responsible_institution=institution,
                    criteria=list(review.framework.criteria.filter(code__in=codes)),
                    references=list(InternationalReference.objects.filter(code__in=refs)),
                )
        if not ReviewCycle.objects.filter(member_state=examplia).exists():
            review = review_create(
                by=adviser,
                member_state=examplia,
                title="Review of Examplia's alternatives to immigration detention",
                framework=framework,
                thematic_areas=list(ThematicArea.objects.filter(code="detention_alternatives")),
                report_language="fr",
                start_date=datetime.date(2026, 11, 2),
                due_date=datetime.date(2027, 5, 29),
            )
            grant_role(review=review, user=User.objects.get(username="counterpart2"), role=Role.COUNTERPART)
            instrument_create(
                member_state=examplia,
                by=adviser,
                title="Migration Policy 2024–2030",
                instrument_type="strategy",
                support_area=areas["strategic_documents"],
                date=datetime.date(2024, 4, 2),
            )

    def _border_management_act(self, review, act, adviser) -> None:
        """The Act's file, split into articles and saved as an adviser would; half of the gap matrix filled."""
        act.file.save("border-management-act-2019.txt", ContentFile(BORDER_MANAGEMENT_ACT.encode()))
        split = provisions.provisions_split_start(instrument=act, by=adviser)
        provisions.provisions_split_run(split.pk)  # the worker's part, here: the seed does not wait for one
        split.refresh_from_db()
        rows = [{**piece, "keep": bool(piece["number"])} for piece in split.found["pieces"]]
        provisions.provisions_split_save(split=split, by=adviser, rows=rows)
        articles = {p.number: p for p in act.provisions.all()}
        standards = {s.code: s for s in gap_matrix.standard_provisions_in_scope(review)}
        for code, number, verdict, comment in DEMOLAND_GAP_MATRIX:
            if code not in standards:
                continue
            entry = gap_matrix.gap_entry_add(
                review=review, by=adviser, standard_provision=standards[code], provision=articles.get(number)
            )
            gap_matrix.gap_entry_update(
                entry=entry, by=adviser, version=entry.version, verdict=verdict, comment=comment
            )
        lp07 = review.assessments.filter(criterion__code="LP-07").first()
        if lp07 is not None:
            assessment_update(
                assessment=lp07, by=adviser, version=lp07.version, provisions=[articles["9"], articles["10"]]
            )

    def _demoland_2023(self, framework, areas) -> ReviewCycle:
        """Demoland's 2023 review, final: the government's positions, an action plan reported on half-yearly
        for two periods (the second report came late), one action overdue."""
        User = get_user_model()
        adviser, manager = User.objects.get(username="adviser"), User.objects.get(username="manager")
        counterpart = User.objects.get(username="counterpart")
        demoland = MemberState.objects.get(code="XD")
        review = review_create(
            by=adviser,
            member_state=demoland,
            title="Review of Demoland's integrated border management (2023)",
            framework=framework,
            thematic_areas=list(ThematicArea.objects.filter(code__in=DEMOLAND_THEMES)),
            start_date=datetime.date(2023, 2, 1),
            due_date=datetime.date(2023, 9, 29),
        )
        grant_role(review=review, user=counterpart, role=Role.FOCAL_POINT)
        review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=adviser)
        for code, rating, finding in DEMOLAND_2023_RATINGS:
            assessment = review.assessments.get(criterion__code=code)
            assessment_update(
                assessment=assessment, by=adviser, version=assessment.version, rating=rating, finding=finding
            )
        made = []
        for area, text, *rest in DEMOLAND_2023_RECOMMENDATIONS:
            made.append((recommendation_create(review=review, by=adviser, text=text, support_area=areas[area]), rest))
        draft = consultation.draft_publish(review=review, by=adviser)
        consultation.submit_for_validation(review=review, by=adviser)
        for recommendation, (stance, agreed, reason, _actions) in made:
            followup.position_record(
                review=review,
                recommendation_id=recommendation.pk,
                by=adviser,
                stance=stance,
                agreed_text=agreed,
                reason=reason,
            )
        consultation.state_validation_record(
            review=review,
            by=adviser,
            draft=draft,
            validated_by_name="Minister of the Interior of Demoland",
            validated_on=datetime.date(2023, 10, 20),
            reference="Note verbale 2023/117",
        )
        consultation.draft_approve(review=review, by=manager)
        DraftVersion.objects.filter(pk=draft.pk).update(
            published_at=_moment(2023, 7, 3),
            approved_at=_moment(2023, 10, 25),
            comments_due=datetime.date(2023, 7, 17),
        )
        followup.plan_period_set(review=review, by=adviser, reporting_period="half_year")
        # Reported for H2 2025 in time and for H1 2026 three months late; one action overdue.
        periods = ((datetime.date(2025, 7, 1), _moment(2026, 1, 20)), (datetime.date(2026, 1, 1), _moment(2026, 9, 28)))
        for recommendation, (_stance, _agreed, _reason, actions) in made:
            for title, indicator, completed, due in actions:
                action = followup.action_create(
                    review=review,
                    by=adviser,
                    recommendations=[recommendation],
                    title=title,
                    responsible_institution="Ministry of the Interior",
                    focal_point=counterpart,
                    start_date=datetime.date(2024, 1, 15),
                    due_date=datetime.date.fromisoformat(due),
                    indicator=indicator,
                    baseline="none",
                    target="adopted",
                )
                for n, (period, submitted) in enumerate(periods):
                    last = n == len(periods) - 1
                    report = followup.progress_submit(
                        action=action,
                        by=counterpart,
                        period=period,
                        progress="Adopted and in use." if completed and last else "Drafting under way.",
                        indicator_value="adopted" if completed and last else "draft",
                        completed=completed and last,
                    )
                    followup.progress_review(report=report, by=adviser, accept=True)
                    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=submitted)
        return review


def _moment(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=datetime.UTC)
