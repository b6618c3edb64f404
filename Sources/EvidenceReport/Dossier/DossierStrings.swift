import EvidenceVault
import Foundation

/// Every word of the dossier in Swedish and English, and the dates in each language's style: one table for the
/// text and the PDF renderers.
public struct DossierStrings: Sendable {
  public let language: DossierModel.Language

  public init(language: DossierModel.Language) { self.language = language }

  /// Chooses the Swedish or the English text.
  public func pick(_ swedish: String, _ english: String) -> String {
    language == .sv ? swedish : english
  }

  // MARK: - Headings

  public var title: String {
    pick("Dagbok över händelser – underlag för polisanmälan", "Journal of incidents – material for a police report")
  }
  public var timelineHeading: String { pick("Tidslinje", "Timeline") }
  public var peopleHeading: String { pick("Inblandade personer", "People involved") }
  public var incidentsHeading: String { pick("Händelserna i detalj", "Incidents in detail") }
  public var messagesHeading: String { pick("Meddelandelogg", "Message log") }
  public var exhibitsHeading: String { pick("Bilageförteckning", "Exhibit index") }
  public var amendmentsHeading: String { pick("Ändringshistorik", "Amendment history") }
  public var integrityHeading: String { pick("Äkthet och kontroll", "Integrity and verification") }
  public var helpHeading: String { pick("Var du kan få hjälp", "Where to get help") }
  public var accessHeading: String {
    pick("Misslyckade försök att öppna dagboken", "Failed attempts to open the journal")
  }
  public var contentsHeading: String { pick("Innehåll", "Contents") }

  // MARK: - Labels

  public var name: String { pick("Namn", "Name") }
  public var period: String { pick("Period", "Period") }
  public var produced: String { pick("Framställd", "Produced") }
  public var timeZone: String { pick("Tider visas i tidszon", "Times are shown in time zone") }
  public var incidents: String { pick("Händelser", "Incidents") }
  public var messages: String { pick("Meddelanden", "Messages") }
  public var exhibits: String { pick("Bilagor", "Exhibits") }
  public var people: String { pick("Personer", "People") }
  public var fingerprint: String { pick("Signeringsnyckelns fingeravtryck", "Signing key fingerprint") }
  public var page: String { pick("sida", "page") }
  public var unknownPeriod: String { pick("okänd period", "period unknown") }
  public var unknown: String { pick("okänd", "unknown") }

  public var aliases: String { pick("Även kallad", "Also known as") }
  public var phones: String { pick("Telefon", "Phone") }
  public var emails: String { pick("E-post", "E-mail") }
  public var handles: String { pick("Användarnamn i appar", "Handles on apps") }
  public var relation: String { pick("Relation", "Relation") }

  public var happened: String { pick("Inträffade", "Happened") }
  public var writtenDown: String { pick("Skrevs ner", "Written down") }
  public var amendedOn: String { pick("ändrad den", "amended on") }
  public var notedAt: String { pick("Antecknad", "Noted") }
  /// The mark of an incident that came in through the inbox: anyone holding the vault folder can add one.
  public var quickNoteMark: String {
    pick(
      "snabbanteckning: inte skyddad av lösenfrasen när den skrevs",
      "quick note: not protected by your passphrase when it was written")
  }
  public var categories: String { pick("Kategorier", "Categories") }
  public var place: String { pick("Plats", "Place") }
  public var injuries: String { pick("Skador", "Injuries") }
  public var money: String { pick("Pengar", "Money") }
  public var policeReference: String { pick("Polisens diarienummer", "Police reference") }
  public var narrative: String { pick("Berättelse", "Account") }
  public var missingMessage: String { pick("finns inte i detta utdrag", "not in this export") }

  public var from: String { pick("Från", "From") }
  public var to: String { pick("Till", "To") }
  public var sourceTime: String { pick("Tid enligt källan", "Time per source") }
  public var subject: String { pick("Ämne", "Subject") }
  public var incident: String { pick("Händelse", "Incident") }
  public var text: String { pick("Text (ordagrant)", "Text (verbatim)") }
  public var provenance: String { pick("Ursprung", "Provenance") }
  public var ambiguous: String {
    pick(
      "TVETYDIG TID: källan angav bara lokal tid och klockan ställdes om denna natt – kan vara en timme fel",
      "AMBIGUOUS TIME: the source gave only local time and the clocks changed that night – may be an hour off")
  }

  public var fileInPackage: String { pick("Fil i paketet", "File in package") }
  public var originalName: String { pick("Ursprungligt namn", "Original name") }
  public var type: String { pick("Typ", "Type") }
  public var size: String { pick("Storlek", "Size") }
  public var capture: String { pick("Uppgifter från filen", "Capture metadata") }
  public var added: String { pick("Tillagd", "Added") }

  public var versionWritten: String { pick("Version skriven", "Version written") }
  public var titleLabel: String { pick("Rubrik", "Title") }
  /// What the access section is and what it cannot show.
  public var accessText: String {
    pick(
      "Varje gång en felaktig lösenfras angavs förseglade programmet en kort uppgift om det (när, vilket kommando, "
        + "om lösenfrasen skrevs på terminalen eller gavs via en filbeskrivare), som togs in i dagboken nästa gång "
        + "den öppnades. Uppgiften innehåller aldrig lösenfrasen eller någon del av den. Den som har tillgång till "
        + "dagbokens mapp kan lägga till eller ta bort sådana uppgifter före nästa öppning, och den som kopierar "
        + "mappen och gissar på annat håll lämnar inga spår.",
      "Each time a wrong passphrase was given, the program sealed a short record of it (when, which command, "
        + "whether the passphrase was typed at the terminal or given on a file descriptor), which was taken into "
        + "the journal the next time it was opened. The record never holds the passphrase or any part of it. "
        + "Anyone with access to the journal's folder can add or remove such records before the next opening, and "
        + "someone who copies the folder and guesses elsewhere leaves no trace.")
  }
  public var noAccessAttempts: String {
    pick("Inga misslyckade försök har registrerats.", "No failed attempts have been recorded.")
  }
  public func accessLine(failedAt: String, command: String, viaTerminal: Bool) -> String {
    let how =
      viaTerminal
      ? pick("skrevs på terminalen", "typed at the terminal")
      : pick("gavs via filbeskrivare", "given on a file descriptor")
    return pick(
      "\(failedAt): fel lösenfras till kommandot \"\(command)\", \(how)",
      "\(failedAt): wrong passphrase to the command \"\(command)\", \(how)")
  }
  public var noAmendments: String { pick("Ingen händelse har ändrats.", "No incident has been amended.") }
  public var noIncidents: String { pick("Inga händelser i detta utdrag.", "No incidents in this export.") }
  public var noPeople: String { pick("Inga personer i detta utdrag.", "No people in this export.") }
  public var noMessages: String { pick("Inga meddelanden i detta utdrag.", "No messages in this export.") }
  public var noExhibits: String { pick("Inga bilagor i detta utdrag.", "No exhibits in this export.") }

  public var chainHead: String { pick("Kedjans huvud", "Chain head") }
  public var sequence: String { pick("sekvens", "sequence") }
  public var hash: String { pick("Hash (SHA-256)", "Hash (SHA-256)") }
  public var signature: String { pick("Ed25519-signatur", "Ed25519 signature") }
  public var problems: String { pick("Problem som hittades (räddningsläge)", "Problems found (salvage)") }
  public var noProblems: String {
    pick("Inga problem: alla poster i dagboken verifierades.", "No problems: every record of the journal verified.")
  }
  public var clockNotices: String { pick("Anmärkningar om enhetens klocka", "Notices about the device clock") }
  public var noClockNotices: String {
    pick("Inga anmärkningar om enhetens klocka.", "No notices about the device clock.")
  }
  public var anchorsHeading: String { pick("Ankarkoder", "Anchor codes") }
  public var anchorsText: String {
    pick(
      "En ankarkod är en kort kod av dagbokens huvud som personen skickade till någon utanför enheten. Den som "
        + "fick koden kan kontrollera den med: evidence verify-export <mapp> --anchor KOD.",
      "An anchor code is a short code of the journal's head that the person sent to someone off the device. "
        + "Whoever received it can check it with: evidence verify-export <folder> --anchor CODE.")
  }
  public var noAnchors: String {
    pick("Inga ankarkoder har skapats för denna dagbok.", "No anchor codes were made for this journal.")
  }

  /// "Dagboken fram till post 17: kod … (skapad 2026-11-28 22:31)".
  public func anchorLine(sequence: UInt64, code: String, madeAt: String) -> String {
    pick(
      "Dagboken fram till post \(sequence): \(code) (skapad \(madeAt))",
      "The journal up to record \(sequence): \(code) (made \(madeAt))")
  }

  public func unanchored(_ count: Int) -> String {
    if count == 0 {
      return pick(
        "Alla poster omfattas av en ankarkod.", "Every record is covered by an anchor code.")
    }
    if count == 1 {
      return pick(
        "1 post är ännu inte förankrad (skriven efter den senaste ankarkoden).",
        "1 record is not yet anchored (written after the last anchor code).")
    }
    return pick(
      "\(count) poster är ännu inte förankrade (skrivna efter den senaste ankarkoden).",
      "\(count) records are not yet anchored (written after the last anchor code).")
  }
  public var howToCheck: String { pick("Så kontrollerar du utdraget", "How to check this export") }
  public var verifyCommand: String {
    pick("evidence verify-export <mapp> --fingerprint \"…\"", "evidence verify-export <folder> --fingerprint \"…\"")
  }
  public var howToCheckText: String {
    pick(
      "Kör kommandot ovan på mappen med utdraget (eller dess zip-fil), med det fingeravtryck (eller den ankarkod, "
        + "--anchor) som du har fått av personen eller hens ombud på annan väg, till exempel per telefon. Inget "
        + "lösenord behövs. Det kontrollerar varje fils SHA-256, kedjan av poster och signaturerna, att denna rapport "
        + "säger exakt vad posterna säger, och att nyckeln som signerade är den du fick. Fingeravtrycket i denna "
        + "rapport visar bara vilken nyckel som signerade den, inte vems den är: en förfalskning skulle visa sitt "
        + "eget. Utan programmet: se HUR-DU-KONTROLLERAR.txt i utdraget.",
      "Run the command above on the folder of this export (or its zip file), with the fingerprint (or the anchor "
        + "code, --anchor) that the person or their advocate gave you by another route, for example by phone. No "
        + "passphrase is needed. It checks every file's SHA-256, the chain of records and the signatures, that this "
        + "report says exactly what the records say, and that the key which signed it is the one you were given. The "
        + "fingerprint in this report only shows which key signed it, not whose key that is: a forgery would show "
        + "its own. Without the program: see HOW-TO-VERIFY.txt in the export.")
  }

  /// "N poster i dagboken ingår inte i detta utdrag".
  /// The records that could not be read, for the integrity section: "4–6, 9".
  public func missingRecords(_ runs: [ClosedRange<UInt64>]) -> String {
    let numbers = runs.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }
      .joined(separator: ", ")
    let count = runs.reduce(UInt64(0)) { $0 + $1.upperBound - $1.lowerBound + 1 }
    return count == 1
      ? pick(
        "En post i dagboken kunde inte läsas (den är skadad eller borta): nummer \(numbers). Inget i detta utdrag kommer från den; allt annat har kontrollerats.",
        "One record of the journal could not be read (it is damaged or gone): number \(numbers). Nothing in this export comes from it; everything else was checked."
      )
      : pick(
        "\(count) poster i dagboken kunde inte läsas (de är skadade eller borta): nummer \(numbers). Inget i detta utdrag kommer från dem; allt annat har kontrollerats.",
        "\(count) records of the journal could not be read (they are damaged or gone): numbers \(numbers). Nothing in this export comes from them; everything else was checked."
      )
  }

  public func withheld(_ count: Int) -> String {
    if count == 0 {
      return pick("Alla poster i dagboken ingår i detta utdrag.", "All records of the journal are part of this export.")
    }
    if count == 1 {
      return pick(
        "1 post i dagboken ingår inte i detta utdrag.", "1 record of the journal is not part of this export.")
    }
    return pick(
      "\(count) poster i dagboken ingår inte i detta utdrag.",
      "\(count) records of the journal are not part of this export.")
  }

  /// How to read the layout, for the cover.
  public var readingGuide: String {
    pick(
      "Detta utdrag är exporterat ur en krypterad dagbok. Meddelandetexter återges ordagrant: varje "
        + "ursprunglig rad börjar med \"|\", och en rad som är för lång för sidan fortsätter på nästa rad efter "
        + "\"+\". Avsnittet \(integrityHeading) beskriver hur utdraget kan kontrolleras.",
      "This export comes from an encrypted journal. Message texts are shown verbatim: every original line "
        + "starts with \"|\", and a line too long for the page continues on the next line after \"+\". The "
        + "section \(integrityHeading) describes how to check this export.")
  }

  /// How to read the PDF layout, for its cover: the PDF shows message texts as quoted blocks, not "|" lines.
  public var pdfReadingGuide: String {
    pick(
      "Detta utdrag är exporterat ur en krypterad dagbok. Meddelandetexter återges ordagrant, med sina "
        + "ursprungliga radbrytningar, i grå rutor med ett streck till vänster. Avsnittet \(integrityHeading) "
        + "beskriver hur utdraget kan kontrolleras.",
      "This export comes from an encrypted journal. Message texts are shown verbatim, with their original line "
        + "breaks, in grey boxes with a bar on the left. The section \(integrityHeading) describes how to check "
        + "this export.")
  }

  /// The caption of the timeline chart for bars per week, month or year.
  public func chartCaption(_ bucket: ChartBucket) -> String {
    switch bucket {
    case .week: return pick("Händelser och meddelanden per vecka", "Incidents and messages per week")
    case .month: return pick("Händelser och meddelanden per månad", "Incidents and messages per month")
    case .year: return pick("Händelser och meddelanden per år", "Incidents and messages per year")
    }
  }

  /// How long a bar of the timeline chart is.
  public enum ChartBucket: Sendable { case week, month, year }

  /// Under a file that cannot be shown as a picture.
  public var noPreview: String { pick("Ingen förhandsvisning", "No preview") }

  /// "Sida 3 av 12" / "Page 3 of 12".
  public func pageFooter(_ number: Int, of total: Int) -> String {
    pick("Sida \(number) av \(total)", "Page \(number) of \(total)")
  }

  /// "Bilaga 3" / "Exhibit 3".
  public func exhibit(_ number: Int) -> String { pick("Bilaga \(number)", "Exhibit \(number)") }

  /// "Bilaga 1" or "Bilagor 1, 3".
  public func exhibitList(_ numbers: [Int]) -> String {
    let list = numbers.map(String.init).joined(separator: ", ")
    if numbers.count == 1 { return pick("Bilaga \(list)", "Exhibit \(list)") }
    return pick("Bilagor \(list)", "Exhibits \(list)")
  }

  /// "12345 byte".
  public func bytes(_ size: Int64) -> String { pick("\(size) byte", "\(size) bytes") }

  // MARK: - Coded values

  /// An IncidentCategory raw value in words; unknown values pass through.
  public func category(_ raw: String) -> String {
    guard let category = IncidentCategory(rawValue: raw) else { return raw }
    switch category {
    case .threat: return pick("hot", "threat")
    case .physicalViolence: return pick("fysiskt våld", "physical violence")
    case .sexualViolence: return pick("sexuellt våld", "sexual violence")
    case .forcedLabour: return pick("tvångsarbete", "forced labour")
    case .coercionIntoCrimeOrBegging: return pick("tvång till brott eller tiggeri", "coercion into crime or begging")
    case .debtOrMoneyTaken: return pick("skuld eller pengar tagna", "debt or money taken")
    case .documentsTaken: return pick("id-handlingar tagna", "documents taken")
    case .restrictionOfMovement: return pick("begränsad rörelsefrihet", "restriction of movement")
    case .stalkingOrSurveillance: return pick("förföljelse eller övervakning", "stalking or surveillance")
    case .onlineAbuse: return pick("kränkningar på nätet", "online abuse")
    case .damageToProperty: return pick("skadegörelse", "damage to property")
    case .other: return pick("annat", "other")
    }
  }

  /// A PersonRole raw value in words.
  public func role(_ raw: String) -> String {
    guard let role = PersonRole(rawValue: raw) else { return raw }
    switch role {
    case .perpetrator: return pick("gärningsperson", "perpetrator")
    case .witness: return pick("vittne", "witness")
    case .other: return pick("annan inblandad", "otherwise involved")
    }
  }

  /// A Message.Channel raw value in words.
  public func channel(_ raw: String) -> String {
    guard let channel = Message.Channel(rawValue: raw) else { return raw }
    switch channel {
    case .sms: return "SMS"
    case .mms: return "MMS"
    case .whatsapp: return "WhatsApp"
    case .telegram: return "Telegram"
    case .signal: return "Signal"
    case .email: return pick("e-post", "e-mail")
    case .voicemail: return pick("röstmeddelande", "voicemail")
    case .call: return pick("samtal", "call")
    case .other: return pick("annan kanal", "other channel")
    }
  }

  /// A Message.Direction raw value in words.
  public func direction(_ raw: String) -> String {
    guard let direction = Message.Direction(rawValue: raw) else { return raw }
    switch direction {
    case .received: return pick("mottaget", "received")
    case .sent: return pick("skickat", "sent")
    case .draft: return pick("utkast", "draft")
    case .outbox: return pick("i utkorgen", "in the outbox")
    case .failed: return pick("kunde inte skickas", "failed to send")
    case .queued: return pick("i kö för att skickas", "queued to send")
    case .missed: return pick("missat", "missed")
    case .rejected: return pick("avvisat", "rejected")
    case .blocked: return pick("blockerat", "blocked")
    case .unknown: return pick("okänd riktning", "direction unknown")
    }
  }

  /// A MoneyAmount.Kind raw value in words.
  public func amountKind(_ raw: String) -> String {
    guard let kind = MoneyAmount.Kind(rawValue: raw) else { return raw }
    switch kind {
    case .demanded: return pick("krävt", "demanded")
    case .paid: return pick("betalt", "paid")
    case .withheld: return pick("innehållet", "withheld")
    case .taken: return pick("taget", "taken")
    }
  }

  /// How precisely a moment is known.
  public func precision(_ precision: TimePrecision) -> String {
    switch precision {
    case .exact: return pick("känt på sekunden", "known to the second")
    case .minute: return pick("känt på minuten", "known to the minute")
    case .hour: return pick("känt på timmen", "known to the hour")
    case .day: return pick("känt till dagen", "known to the day")
    case .month: return pick("känt till månaden", "known to the month")
    case .approximate: return pick("ungefärligt", "approximate")
    }
  }

  public var about: String { pick("ungefär", "about") }

  // MARK: - Dates

  private static let swedishMonths = [
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
    "november", "december",
  ]
  private static let englishMonths = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
  ]

  private func month(_ number: Int) -> String {
    let names = language == .sv ? Self.swedishMonths : Self.englishMonths
    return names.indices.contains(number - 1) ? names[number - 1] : String(number)
  }

  private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

  /// "28 november 2026 kl. 22:30" / "28 November 2026, 22:30" at the given precision, in `timeZone`.
  public func date(_ date: Date, precision: TimePrecision, timeZone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let year = parts.year ?? 0
    let hour = parts.hour ?? 0
    let minute = Self.twoDigits(parts.minute ?? 0)
    let day = "\(parts.day ?? 1) \(month(parts.month ?? 1)) \(year)"
    switch precision {
    case .exact:
      return withTime(day, "\(Self.twoDigits(hour)):\(minute):\(Self.twoDigits(parts.second ?? 0))")
    case .minute:
      return withTime(day, "\(Self.twoDigits(hour)):\(minute)")
    case .hour:
      let from = "\(Self.twoDigits(hour)):00"
      let until = "\(Self.twoDigits((hour + 1) % 24)):00"
      return pick("\(day) mellan kl. \(from) och \(until)", "\(day), between \(from) and \(until)")
    case .day:
      return day
    case .month:
      return "\(month(parts.month ?? 1)) \(year)"
    case .approximate:
      return "\(about) \(day)"
    }
  }

  private func withTime(_ day: String, _ time: String) -> String {
    pick("\(day) kl. \(time)", "\(day), \(time)")
  }

  /// "2026-11-28" for the running header.
  public func isoDay(_ date: Date, timeZone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return "\(parts.year ?? 0)-\(Self.twoDigits(parts.month ?? 1))-\(Self.twoDigits(parts.day ?? 1))"
  }

  /// "UTC+02:00" for the instant in `timeZone`.
  public static func offset(_ date: Date, timeZone: TimeZone) -> String {
    let seconds = timeZone.secondsFromGMT(for: date)
    let sign = seconds < 0 ? "-" : "+"
    let minutes = abs(seconds) / 60
    return "UTC\(sign)\(twoDigits(minutes / 60)):\(twoDigits(minutes % 60))"
  }

  /// The dossier's period in words: "1 september 2026 – 28 november 2026", or that it is unknown.
  public func period(_ model: DossierModel) -> String {
    let zone = model.timeZone
    switch (model.periodStart, model.periodEnd) {
    case (let start?, let end?):
      return date(start, precision: .day, timeZone: zone) + " – " + date(end, precision: .day, timeZone: zone)
    case (let start?, nil): return date(start, precision: .day, timeZone: zone) + " –"
    case (nil, let end?): return "– " + date(end, precision: .day, timeZone: zone)
    case (nil, nil): return unknownPeriod
    }
  }

  /// The period as ISO days, for the running header: "2026-09-01 – 2026-11-28".
  public func isoPeriod(_ model: DossierModel) -> String {
    switch (model.periodStart, model.periodEnd) {
    case (let start?, let end?):
      return "\(isoDay(start, timeZone: model.timeZone)) – \(isoDay(end, timeZone: model.timeZone))"
    case (let start?, nil): return "\(isoDay(start, timeZone: model.timeZone)) –"
    case (nil, let end?): return "– \(isoDay(end, timeZone: model.timeZone))"
    case (nil, nil): return unknownPeriod
    }
  }

  /// When it happened, as precisely as known: times in the dossier's zone (`shownIn`), days and months in the
  /// zone they were recorded in so the day does not shift.
  public func moment(_ moment: DossierModel.Moment, shownIn dossierZone: TimeZone) -> String {
    let dayLike: Set<TimePrecision> = [.day, .month, .approximate]
    let zone = dayLike.contains(moment.precision) ? moment.timeZone : dossierZone
    var text = date(moment.start, precision: moment.precision, timeZone: zone)
    if let end = moment.end {
      let endPrecision = moment.precision == .approximate ? TimePrecision.day : moment.precision
      text += " – " + date(end, precision: endPrecision, timeZone: zone)
    }
    if moment.approximate, moment.precision != .approximate { text = "\(about) \(text)" }
    // A time in the hour the clocks went back happened twice: say which, by its offset from UTC.
    let timed: Set<TimePrecision> = [.exact, .minute, .hour]
    if timed.contains(moment.precision), Self.isRepeatedWallTime(moment.start, timeZone: zone) {
      text += " (\(Self.offset(moment.start, timeZone: zone)))"
    }
    return text
  }

  /// True when the wall-clock time of `date` in `timeZone` also names another instant: the hour that is lived
  /// twice when the clocks go back.
  public static func isRepeatedWallTime(_ date: Date, timeZone: TimeZone) -> Bool {
    let wallTime = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
    return [-3600.0, 3600.0].contains { shift in
      let other = date.addingTimeInterval(shift)
      return other.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: other)) == wallTime
    }
  }

  // MARK: - Help

  /// The help lines: (number, what it is for), in this language.
  public var helpEntries: [(number: String, text: String)] {
    [
      ("112", pick("Om det händer nu eller du är i fara just nu.", "If it is happening now or you are in danger now.")),
      ("114 14", pick("Polisen, när det inte är akut.", "The police, when it is not an emergency.")),
      (
        "116 006",
        pick(
          "Brottsofferjouren: stöd till dig som utsatts för brott.", "Brottsofferjouren: support for victims of crime.")
      ),
      (
        "020-50 50 50",
        pick(
          "Kvinnofridslinjen: dygnet runt, anonymt, syns inte på telefonräkningen.",
          "Kvinnofridslinjen: all hours, anonymous, not shown on the phone bill.")
      ),
      (
        "020-390 000",
        pick(
          "Jämställdhetsmyndigheten: samordnar arbetet mot människohandel.",
          "Jämställdhetsmyndigheten (Gender Equality Agency): coordinates the work against trafficking.")
      ),
      ("08-30 30 20", pick("Mansjouren: stöd till män.", "Mansjouren: support for men.")),
      (
        "020-55 00 00",
        pick("Stödlinjen för transpersoner.", "Stödlinjen för transpersoner: support line for trans people.")
      ),
      ("116 111", pick("Bris: för dig som är under 18 år.", "Bris: for anyone under 18.")),
    ]
  }
}
