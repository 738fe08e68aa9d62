// The domain (commands, events, deciders) lands here with the domain issue. It stays pure:
// a lint rule refuses framework, database and I/O imports in libs/domain.
export {};
