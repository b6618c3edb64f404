import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct PersonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "person",
      abstract: String(.abstractPerson),
      subcommands: [AddPerson.self, AmendPerson.self, ListPeople.self])
  }

  struct AddPerson: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: String(.abstractPersonAdd))

    @OptionGroup var vaultOptions: VaultOptions

    @Argument(help: ArgumentHelp("Their name, or what you call them.", valueName: "name"))
    var name: String

    @Option(name: .long, help: ArgumentHelp("Another name they go by (repeatable).", valueName: "name"))
    var alias: [String] = []

    @Option(
      name: .long, help: ArgumentHelp("A phone number, e.g. \"070-123 45 67\" (repeatable).", valueName: "number"))
    var phone: [String] = []

    @Option(name: .long, help: ArgumentHelp("An e-mail address (repeatable).", valueName: "address"))
    var email: [String] = []

    @Option(
      name: .long, help: ArgumentHelp("A handle on an app, e.g. @marko on Telegram (repeatable).", valueName: "handle"))
    var handle: [String] = []

    @Option(
      name: .long, help: ArgumentHelp("Who they are to you, e.g. recruiter, ex-partner, landlord.", valueName: "text"))
    var relation: String?

    @Option(
      name: .long, help: ArgumentHelp("Anything else about them (appearance, car, where they live).", valueName: "text")
    )
    var notes: String?

    func run() throws {
      var input = PersonInput(name: name)
      input.aliases = alias
      input.phones = phone
      input.emails = email
      input.handles = handle
      input.relation = relation
      input.notes = notes
      let person = try input.makePerson()
      let vault = try vaultOptions.openVault()
      try vault.addPerson(person)
      print("Saved \(TerminalSafeText.line(person.name)).")
    }
  }

  struct AmendPerson: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "amend",
      abstract: String(.abstractPersonAmend),
      discussion: "The earlier details stay in the journal's history; entries and messages that name them follow.")

    @OptionGroup var vaultOptions: VaultOptions

    @Argument(help: ArgumentHelp("Their name or one of their aliases.", valueName: "person"))
    var person: String

    @Option(name: .long, help: ArgumentHelp("Their new name.", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("Another name they go by (repeatable).", valueName: "name"))
    var alias: [String] = []

    @Option(name: .long, help: ArgumentHelp("Another phone number (repeatable).", valueName: "number"))
    var phone: [String] = []

    @Option(name: .long, help: ArgumentHelp("Another e-mail address (repeatable).", valueName: "address"))
    var email: [String] = []

    @Option(name: .long, help: ArgumentHelp("Another handle on an app (repeatable).", valueName: "handle"))
    var handle: [String] = []

    @Option(name: .long, help: ArgumentHelp("Who they are to you (replaces what it said).", valueName: "text"))
    var relation: String?

    @Option(name: .long, help: ArgumentHelp("Anything else about them (replaces what it said).", valueName: "text"))
    var notes: String?

    func run() throws {
      var amendment = PersonAmendment()
      amendment.name = name
      amendment.aliases = alias
      amendment.phones = phone
      amendment.emails = email
      amendment.handles = handle
      amendment.relation = relation
      amendment.notes = notes
      let vault = try vaultOptions.openVault()
      let current = try vault.index.person(named: person)
      let updated = try amendment.applied(to: current)
      try vault.amendPerson(current, with: updated)
      print(
        "Saved the new details of \(TerminalSafeText.line(updated.name)); the earlier ones stay in the journal's history."
      )
      print(EntryText.personLine(updated))
    }
  }

  struct ListPeople: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: String(.abstractPersonList))

    @OptionGroup var vaultOptions: VaultOptions

    @Flag(name: .long, help: "Print JSON (Schemas/person-list.schema.json) instead of text.")
    var json = false

    func run() throws {
      let vault = try vaultOptions.openVault()
      let people = vault.index.people
      if json {
        print(JSONOutput.personList(people))
      } else if people.isEmpty {
        print("No people yet. Add someone with `\(ProgramName.current) person add \"Name\"`.")
      } else {
        for person in people { print(EntryText.personLine(person)) }
      }
    }
  }
}
