"""The company: its offices, departments with their teams, roles and titles, the
skills its people hold and want, their names, and its key roles."""

from oppmarket.demo.plans import DepartmentPlan, Team, pipe_separated, role

COMPANY_DOMAIN = "lumenworks.example"
OFFICES = ("London", "Berlin", "Lisbon", "Dublin", "New York", "Toronto", "Singapore", "Sydney")

DEPARTMENT_PLANS: tuple[DepartmentPlan, ...] = (
    DepartmentPlan("Executive Office", None, "Chief Executive Officer", 0, (
        Team(None, (
            role("Chief of Staff", 3, "Strategic Planning|Executive Communication|Programme Management|Stakeholder Management|OKRs"),
            role("Executive Assistant", 2, "Project Management|Event Planning|Business Writing|Microsoft 365|Stakeholder Management"),
        )),
    ), pipe_separated("Public Speaking|Decision Making|Vision Setting|Investor Relations|Budget Ownership"), fixed=3),
    DepartmentPlan("Engineering", None, "VP of Engineering", 0, (
        Team(None, (
            role("Principal Engineer", 3, "Software Architecture|Distributed Systems|System Design|Technical Leadership|Go|Python"),
            role("Technical Program Manager", 2, "Programme Management|Agile|Stakeholder Management|Risk Management|Jira"),
        )),
    ), pipe_separated("Code Review|Technical Debt Management|Organisational Design|Budget Ownership"), fixed=3),
    DepartmentPlan("Platform", "Engineering", "Director of Platform Engineering", 28, (
        Team("Engineering Manager", (
            role("Software Engineer", 2, "Go|Python|Docker|Kubernetes|Linux|Git|PostgreSQL", 3),
            role("Senior Software Engineer", 3, "Go|Python|Kubernetes|Docker|System Design|PostgreSQL|Linux", 3),
            role("Staff Software Engineer", 3, "Distributed Systems|System Design|Go|Kubernetes|Technical Leadership|Software Architecture"),
        )),
        Team("SRE Manager", (
            role("Site Reliability Engineer", 2, "Site Reliability Engineering|Kubernetes|Terraform|Prometheus|Grafana|Linux|Incident Management|Amazon Web Services", 3),
            role("Senior Site Reliability Engineer", 3, "Site Reliability Engineering|Kubernetes|Terraform|Observability|Incident Management|Capacity Planning", 2),
            role("DevOps Engineer", 2, "Continuous Integration & Delivery|Terraform|Ansible|Docker|Amazon Web Services|Bash|GitHub Actions", 2),
        )),
    ), pipe_separated("Observability|OpenTelemetry|Helm|Networking|DNS|Redis|Apache Kafka|Google Cloud Platform|Bazel|Rust|Chaos Engineering|Infrastructure as Code|Cloud Cost Optimisation|Code Review|Argo CD")),
    DepartmentPlan("Product Engineering", "Engineering", "Director of Product Engineering", 46, (
        Team("Engineering Manager", (
            role("Software Engineer", 2, "Python|Django|PostgreSQL|JavaScript|React|API Design|Git", 3),
            role("Senior Software Engineer", 3, "Python|Django|PostgreSQL|TypeScript|React|API Design|System Design", 3),
            role("Backend Engineer", 2, "Java|Spring Boot|PostgreSQL|API Design|Microservices|Apache Kafka", 2),
        )),
        Team("Frontend Engineering Manager", (
            role("Frontend Engineer", 2, "TypeScript|React|HTML|CSS|Jest|Accessibility", 3),
            role("Senior Frontend Engineer", 3, "TypeScript|React|Next.js|Web Performance|Design Systems|Storybook", 2),
        )),
        Team("Mobile Engineering Manager", (
            role("iOS Engineer", 2, "Swift|SwiftUI|iOS Development|Objective-C", 2),
            role("Android Engineer", 2, "Kotlin|Jetpack Compose|Android Development|Java", 2),
            role("Senior Mobile Engineer", 3, "React Native|Swift|Kotlin|Mobile Development"),
        )),
        Team("QA Manager", (
            role("QA Engineer", 2, "Test Automation|Playwright|Selenium|Python|Quality Assurance"),
        )),
    ), pipe_separated("Git|Code Review|Unit Testing|Test-Driven Development|GraphQL|Redis|Docker|Refactoring|Amazon Web Services|Feature Flags|Node.js|Agile|Scrum")),
    DepartmentPlan("Security", "Engineering", "Head of Security", 10, (
        Team("Security Engineering Manager", (
            role("Security Engineer", 2, "Application Security|Cloud Security|Python|Threat Modelling|Identity & Access Management|Vulnerability Management", 3),
            role("Senior Security Engineer", 3, "Security Architecture|Application Security|Penetration Testing|Threat Modelling|Cryptography|Go", 2),
            role("Security Analyst", 2, "Security Operations|Security Information & Event Management|Incident Response|Endpoint Security|Digital Forensics", 2),
        )),
        Team("GRC Manager", (
            role("GRC Analyst", 2, "SOC 2|ISO 27001|Security Risk Assessment|Regulatory Compliance|Policy Writing"),
        )),
    ), pipe_separated("Zero Trust|Secrets Management|HashiCorp Vault|Public Key Infrastructure|Container Security|Network Security|Software Supply Chain Security|Red Teaming|Malware Analysis|Security Awareness|Linux|Amazon Web Services|Kubernetes|Bug Bounty Programmes|OAuth 2.0")),
    DepartmentPlan("Data & Analytics", "Engineering", "Director of Data & Analytics", 22, (
        Team("Data Science Manager", (
            role("Data Scientist", 2, "Python|Machine Learning|Statistics|SQL|Pandas|scikit-learn|Experiment Design", 3),
            role("Senior Data Scientist", 3, "Machine Learning|Causal Inference|Python|Deep Learning|Statistics|Bayesian Statistics", 2),
            role("Machine Learning Engineer", 2, "Python|MLOps|PyTorch|Docker|Kubernetes|Feature Engineering|Large Language Models", 2),
        )),
        Team("Analytics Manager", (
            role("Data Analyst", 1, "SQL|Microsoft Excel|Looker|Data Visualisation|Product Analytics", 3),
            role("Senior Data Analyst", 2, "SQL|Python|Tableau|Data Storytelling|Statistics|Experiment Design", 2),
            role("Analytics Engineer", 2, "dbt|SQL|Data Modelling|Snowflake|Data Quality", 2),
        )),
        Team("Data Engineering Manager", (
            role("Data Engineer", 2, "Python|Apache Spark|Apache Airflow|SQL|Data Warehousing|ETL|Apache Kafka", 3),
            role("Senior Data Engineer", 3, "Scala|Apache Spark|Data Modelling|Google BigQuery|Data Governance|Databricks"),
        )),
    ), pipe_separated("Jupyter|NumPy|Natural Language Processing|Time Series Forecasting|Recommender Systems|Anomaly Detection|Power BI|Google BigQuery|Data Governance|R|Prompt Engineering|Computer Vision|Survey Analysis|Geospatial Analysis")),
    DepartmentPlan("Product", None, "VP of Product", 14, (
        Team("Group Product Manager", (
            role("Product Manager", 2, "Product Management|Product Discovery|Roadmapping|User Stories|Stakeholder Management|Prioritisation", 3),
            role("Senior Product Manager", 3, "Product Strategy|Product Management|OKRs|Go-to-Market Strategy|Product Analytics|Pricing Strategy", 2),
            role("Associate Product Manager", 1, "Product Management|User Stories|Requirements Gathering|Agile|Customer Interviews"),
        )),
        Team("Product Operations Lead", (
            role("Product Operations Specialist", 2, "Product Operations|Release Management|Jira|Process Improvement|Product Analytics"),
            role("Technical Writer", 2, "Technical Writing|Documentation|Information Architecture|API Design|Editing & Proofreading"),
        )),
    ), pipe_separated("Jobs To Be Done|Competitive Analysis|Scrum|Kanban|Growth Experiments|Feature Flags|Product Requirements Documents|SQL|Experiment Design|Product-Led Growth|Customer Interviews")),
    DepartmentPlan("Design", "Product", "Head of Design", 12, (
        Team("Design Manager", (
            role("Product Designer", 2, "User Experience Design|User Interface Design|Figma|Prototyping|Interaction Design|Design Systems", 3),
            role("Senior Product Designer", 3, "User Experience Design|Interaction Design|Design Systems|Figma|Service Design|Design Critique", 2),
            role("UX Researcher", 2, "User Research|Usability Testing|Customer Interviews|Survey Analysis|Journey Mapping", 2),
            role("Content Designer", 2, "Content Design|Information Architecture|Copywriting|Accessibility"),
            role("Brand Designer", 2, "Brand Design|Visual Design|Typography|Adobe Illustrator|Illustration|Motion Design"),
        )),
    ), pipe_separated("Accessibility|Wireframing|Design Thinking|Adobe Photoshop|Adobe After Effects|Icon Design|Presentation Design|Sketch|HTML|CSS|3D Modelling|Visual Design")),
    DepartmentPlan("Sales", None, "VP of Sales", 30, (
        Team("Sales Manager", (
            role("Account Executive", 2, "B2B Sales|Solution Selling|Salesforce|Pipeline Management|Product Demos|Negotiation", 3),
            role("Senior Account Executive", 3, "Enterprise Sales|Value Selling|MEDDIC|Negotiation|Closing Deals|Stakeholder Management", 2),
            role("Sales Development Representative", 1, "Prospecting|Lead Qualification|Salesforce|HubSpot|Inside Sales", 3),
        )),
        Team("Sales Engineering Manager", (
            role("Solutions Engineer", 3, "Sales Engineering|Product Demos|API Design|Amazon Web Services|Proposal Writing|Python"),
        )),
        Team("Sales Operations Manager", (
            role("Sales Operations Analyst", 2, "CRM Administration|Sales Forecasting|Salesforce|Microsoft Excel|Territory Planning"),
        )),
    ), pipe_separated("Partnerships|Channel Sales|Account Management|Upselling|Renewals|Sales Enablement|Competitive Analysis|Public Speaking|Contract Negotiation|German|French|Spanish")),
    DepartmentPlan("Customer Success", "Sales", "Director of Customer Success", 22, (
        Team("Customer Success Team Lead", (
            role("Customer Success Manager", 2, "Account Management|Customer Onboarding|Quarterly Business Reviews|Customer Health Scoring|Renewals|Customer Advocacy"),
        )),
        Team("Support Team Lead", (
            role("Support Engineer", 2, "Technical Support|SQL|Linux|API Design|Escalation Management|Zendesk", 2),
            role("Customer Support Specialist", 1, "Customer Support|Zendesk|Knowledge Base Writing|Active Listening|Intercom", 3),
            role("Onboarding Specialist", 2, "Customer Onboarding|Customer Training|Product Demos|Knowledge Base Writing"),
        )),
    ), pipe_separated("Churn Analysis|Net Promoter Score Programmes|Voice of the Customer|Service Level Management|Support Operations|Spanish|French|Portuguese|Japanese|Salesforce|Microsoft Excel")),
    DepartmentPlan("Marketing", None, "VP of Marketing", 16, (
        Team("Marketing Manager", (
            role("Content Marketer", 2, "Content Marketing|Copywriting|Search Engine Optimisation|Storytelling|Social Media Marketing", 2),
            role("Product Marketing Manager", 3, "Product Marketing|Messaging & Positioning|Go-to-Market Strategy|Competitive Analysis|Market Research", 2),
            role("Growth Marketer", 2, "Growth Marketing|Search Engine Marketing|Marketing Analytics|Google Analytics|Email Marketing|Experiment Design", 2),
            role("Marketing Operations Specialist", 2, "Marketing Automation|Marketo|HubSpot|Campaign Management|CRM Administration"),
            role("Events Coordinator", 1, "Events Management|Event Planning|Webinar Production|Vendor Management"),
        )),
    ), pipe_separated("Brand Strategy|Public Relations|Community Management|Video Production|Influencer Marketing|Account-Based Marketing|Customer Segmentation|Demand Generation|Data Visualisation|Public Speaking")),
    DepartmentPlan("Finance & Legal", None, "Chief Financial Officer", 16, (
        Team("Finance Manager", (
            role("Financial Analyst", 2, "Financial Modelling|Microsoft Excel|Budgeting|Financial Forecasting|Management Reporting", 3),
            role("Senior Financial Analyst", 3, "Financial Planning & Analysis|Financial Modelling|Unit Economics|SQL|Valuation"),
            role("Accountant", 2, "Accounting|Month-End Close|IFRS|Accounts Payable|Accounts Receivable|NetSuite", 2),
            role("Payroll Specialist", 2, "Payroll|Compensation & Benefits|Tax Compliance|Microsoft Excel"),
        )),
        Team("Associate General Counsel", (
            role("Legal Counsel", 3, "Contract Law|Commercial Contracts|Contract Negotiation|Intellectual Property|Legal Research", 2),
            role("Privacy Counsel", 3, "GDPR|Data Protection|Privacy Impact Assessments|Regulatory Compliance"),
            role("Paralegal", 1, "Legal Research|Contract Law|Corporate Governance|Policy Writing"),
            role("Compliance Officer", 2, "Regulatory Compliance|Ethics & Compliance|Anti-Bribery & Corruption|Export Controls|Sarbanes-Oxley Compliance"),
        )),
    ), pipe_separated("Treasury|Revenue Recognition|Internal Audit|Cash Flow Management|Expense Management|SAP ERP|Investor Relations|Mergers & Acquisitions|Competition Law|Trademarks|Open Source Licensing|Employment Law|Cost Accounting|US GAAP")),
    DepartmentPlan("People", None, "VP of People", 14, (
        Team("People Partner Lead", (
            role("People Partner", 3, "Employee Relations|Performance Management|Organisational Development|Change Management|Employment Law|Coaching", 2),
            role("People Operations Specialist", 2, "HR Information Systems|Onboarding|HR Policy|Compensation & Benefits|Process Documentation", 2),
            role("People Analyst", 2, "People Analytics|SQL|Microsoft Excel|Survey Analysis|Data Visualisation"),
        )),
        Team("Talent Acquisition Manager", (
            role("Recruiter", 2, "Talent Acquisition|Hiring & Interviewing|Employer Branding|Stakeholder Management|Negotiation", 3),
            role("Senior Recruiter", 3, "Talent Acquisition|Hiring & Interviewing|Workforce Planning|Employer Branding"),
        )),
        Team("Learning & Development Lead", (
            role("Learning & Development Specialist", 2, "Learning & Development|Instructional Design|Workshop Design|Facilitation|Career Coaching"),
        )),
    ), pipe_separated("Diversity, Equity & Inclusion|Employee Engagement|Wellbeing Programmes|Succession Planning|Internal Communications|Culture Building|Internal Mobility|Feedback Conversations|Public Speaking|Mentoring")),
    DepartmentPlan("Workplace & IT", None, "Head of Workplace & IT", 10, (
        Team("IT Manager", (
            role("IT Systems Administrator", 2, "Okta|Identity & Access Management|Google Workspace|Microsoft 365|Endpoint Management|Bash|PowerShell", 2),
            role("IT Support Specialist", 1, "Help Desk Operations|IT Service Management|Endpoint Management|Microsoft 365|IT Asset Management", 2),
        )),
        Team("Workplace Manager", (
            role("Workplace Coordinator", 1, "Workplace Experience|Facilities Management|Event Planning|Vendor Management", 2),
            role("Procurement Specialist", 2, "Procurement|Vendor Management|Contract Negotiation|Supply Chain Management"),
        )),
    ), pipe_separated("ITIL|Audio-Visual Systems|Logistics|Business Continuity Planning|Jira|Confluence|Linux|Networking|Security Awareness|Project Management")),
)

LEADERSHIP_SKILLS = pipe_separated(
    "Coaching|Mentoring|Hiring & Interviewing|Performance Management|Delegation|Feedback Conversations|"
    "Stakeholder Management|Strategic Planning|Budget Ownership|Change Management|Team Leadership|"
    "Decision Making|Conflict Resolution|Cross-functional Leadership|Remote Team Leadership"
)
# What people across the company say they want to learn, beyond their own field.
POPULAR_INTERESTS = pipe_separated(
    "Machine Learning|Large Language Models|Public Speaking|Data Visualisation|Product Management|"
    "Kubernetes|Rust|Team Leadership|Coaching|SQL|Python|User Research|Negotiation|Accessibility|"
    "Storytelling|Spanish|Japanese|Financial Modelling|Design Thinking|Technical Writing|"
    "Amazon Web Services|Mentoring|Prompt Engineering|Facilitation"
)
SECOND_LANGUAGES = pipe_separated(
    "Spanish|French|German|Portuguese|Italian|Dutch|Polish|Mandarin Chinese|Cantonese|Japanese|"
    "Korean|Hindi|Arabic|Turkish|Swedish|Ukrainian|Vietnamese|British Sign Language"
)

FIRST_NAMES = pipe_separated(
    "Aarav|Abena|Adaeze|Adam|Ahmed|Aiko|Aisha|Alejandro|Alice|Amara|Amelia|Ana|Andrei|Anika|"
    "Antoine|Arjun|Astrid|Ayesha|Beatriz|Ben|Bilal|Camila|Carlos|Chen|Chiara|Chloé|Daniel|Dario|"
    "David|Deepa|Diego|Dmitri|Elena|Elif|Emeka|Emil|Emma|Erik|Esther|Fatima|Felix|Fiona|"
    "Francesca|Gabriel|Grace|Hana|Hannah|Hamza|Hiroshi|Inês|Ingrid|Isaac|Isabel|Ivan|Jack|Jamal|"
    "James|Javier|Jin|João|Jonas|José|Julia|Kai|Kamala|Karim|Kenji|Kwame|Laila|Lars|Laura|Leila|"
    "Leo|Lina|Lucas|Lucía|Mai|Malik|Marco|María|Mariam|Mateo|Maya|Mei|Mohammed|Nadia|Naledi|"
    "Nikhil|Nina|Noah|Nora|Oliver|Olga|Omar|Oskar|Pablo|Paolo|Priya|Rafael|Rania|Ravi|Rosa|Ruth|"
    "Sakura|Samuel|Sara|Sebastian|Sofia|Sung-min|Tariq|Thomas|Tomasz|Valentina|Victor|Wei|Yasmin|"
    "Yusuf|Zainab|Zara|Zoë|Siobhan|Rhys|Freya|Mateus|Ji-woo|Thandiwe|Kofi|Anouk|Sven|Marta"
)
LAST_NAMES = pipe_separated(
    "Adeyemi|Ahmed|Alvarez|Andersen|Bakker|Banerjee|Becker|Bianchi|Brown|Campbell|Chen|Chowdhury|"
    "Costa|Dubois|Eriksson|Fernandes|Fischer|García|Gonzalez|Gupta|Hansen|Hassan|Hoffmann|Ibrahim|"
    "Ivanova|Jansen|Johansson|Jones|Kaur|Kim|Kowalski|Kumar|Larsen|Lee|Lewis|Li|López|Martin|"
    "Mendes|Moreau|Müller|Murphy|Nakamura|Nguyen|Novak|O'Brien|Okafor|Okonkwo|Oliveira|Park|"
    "Patel|Pereira|Petrov|Rossi|Russo|Sato|Schmidt|Silva|Singh|Smith|Sousa|Suzuki|Tanaka|Taylor|"
    "Thompson|Walker|Wang|Weber|Williams|Wilson|Wójcik|Yamamoto|Yılmaz|Zhang|Zhou|Haddad|Mensah|"
    "Achebe|Nowak|Horvat|Lindqvist|Virtanen|Novotný|Popescu|Kovács|Delgado|Romero|Castillo|Reyes|"
    "Mahlangu|Dlamini|Osei|Abebe|Tesfaye|Rahman|Hussain|Iyer|Nair|Reddy|Das|Ali|Khan|Farouk|Cohen|"
    "Levi|Friedman|Murray|Fraser|Kelly|Byrne|Walsh|Doyle|Evans|Hughes|Price|Morgan"
)

# (title, department, the skills it needs with their levels, the risk of losing its holder)
KEY_ROLES = (
    ("Head of Platform Reliability", "Platform",
     (("Site Reliability Engineering", 5), ("Kubernetes", 4), ("Incident Management", 4), ("Capacity Planning", 3)), "high"),
    ("Payments Tech Lead", "Product Engineering",
     (("Python", 5), ("PostgreSQL", 4), ("System Design", 4), ("API Design", 4)), "high"),
    ("Principal Security Architect", "Security",
     (("Security Architecture", 5), ("Threat Modelling", 4), ("Cloud Security", 4)), "medium"),
    ("Lead Data Scientist", "Data & Analytics",
     (("Machine Learning", 5), ("Statistics", 4), ("Experiment Design", 4)), "medium"),
    ("Head of Enterprise Sales", "Sales",
     (("Enterprise Sales", 5), ("Negotiation", 4), ("Value Selling", 4)), "high"),
    ("Financial Controller", "Finance & Legal",
     (("Accounting", 5), ("IFRS", 4), ("Month-End Close", 4), ("Sarbanes-Oxley Compliance", 3)), "low"),
    ("Design Systems Lead", "Design",
     (("Design Systems", 5), ("Figma", 4), ("Accessibility", 4)), "medium"),
)
# Who is groomed for each key role, on top of whoever the random profiles put on its
# bench: (ready now, one skill short, two skills short), drawn from the role's
# department, the closest fit first. The riskiest roles have nobody ready: that is
# what makes them risky.
KEY_ROLE_BENCHES = {
    "Head of Platform Reliability": (1, 2, 2),
    "Payments Tech Lead": (0, 2, 3),
    "Principal Security Architect": (1, 1, 1),
    "Lead Data Scientist": (2, 1, 2),
    "Head of Enterprise Sales": (0, 1, 2),
    "Financial Controller": (1, 2, 1),
    "Design Systems Lead": (1, 1, 2),
}
