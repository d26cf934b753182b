// Package commands is the application: the domain types (collectives, help
// requests, the mengpaneel, check-in rounds), the store interfaces it needs,
// the one command table and the handlers that run it. It knows no chat
// platform, no SQL and no file format: adapters in bot/ translate platforms,
// storage implements the stores, and what it draws or writes (charts, the
// export) it reaches through interfaces it defines (ChartRenderer, Exporter),
// wired in cmd/wijkbot. Schedule maths lives in package schedule.
package commands
