// What the third-party packages a program imports may do with the files of its image. The scan
// reads the program's own sources only, never the modules' (nor vendor/), so a read path is known
// only when every imported package is known to open no file of its own, or only through calls the
// scan recognises in the program's code (gin's LoadHTMLGlob, godotenv.Load, viper's config names).
import type { ProjectFacts } from '../../../project';
import { goFacts } from './facts';

/**
 * `none`: opens no file of the image by itself. `formats`: opens files of these formats by names the
 * scan does not follow (a config library, a driver's certificate named in a connection string).
 * `reads`: reads files the program names through calls the scan does not follow, and writes none.
 * `unknown`: may read or write anything (a package under a listed prefix that does).
 */
export type LibraryAccess = { readonly kind: 'none' } | { readonly kind: 'formats'; readonly formats: RegExp } | { readonly kind: 'reads' } | { readonly kind: 'unknown' };

const NONE: LibraryAccess = { kind: 'none' };
const READS: LibraryAccess = { kind: 'reads' };
const UNKNOWN: LibraryAccess = { kind: 'unknown' };
const formats = (re: RegExp): LibraryAccess => ({ kind: 'formats', formats: re });
/** Certificates and keys a connection string or TLS option names by path. */
const CERTIFICATES = /\.(pem|crt|cer|cert|key|p12|pfx)$/i;

/**
 * Packages by import path, without major-version elements (`/v4` and the like are dropped before
 * the lookup); the longest listed prefix wins, so a package that does touch files is listed under
 * the module that otherwise does not. Anything not listed is `unknown`.
 */
const LIBRARIES: ReadonlyArray<readonly [string, LibraryAccess]> = [
  // HTTP frameworks and routers serve what the handlers return. Their file serving goes through
  // calls the scan recognises in the program's code (gin's LoadHTMLGlob, Static, StaticFile, File,
  // SaveUploadedFile; echo's Static and File; fiber's Static, SendFile, SaveFile; http.Dir).
  ['github.com/gin-gonic/gin', NONE], ['gopkg.in/gin-gonic/gin.v1', NONE],
  ['github.com/labstack/echo', NONE], ['github.com/gofiber/fiber', NONE],
  ['github.com/gorilla/mux', NONE], ['github.com/go-chi/chi', NONE], ['github.com/julienschmidt/httprouter', NONE],
  ['github.com/gorilla/handlers', NONE], ['github.com/gorilla/websocket', NONE], ['github.com/gorilla/schema', NONE],
  ['github.com/rs/cors', NONE], ['github.com/gin-contrib/cors', NONE], ['github.com/go-chi/cors', NONE], ['github.com/go-chi/render', NONE],
  ['github.com/labstack/echo-jwt', NONE], ['github.com/didip/tollbooth', NONE], ['golang.org/x/time', NONE],
  ['github.com/99designs/gqlgen/graphql', NONE], ['github.com/vektah/gqlparser', NONE], ['google.golang.org/grpc', NONE],
  // Swagger UIs serve files embedded in their module and the spec the program registers from Go code.
  ['github.com/swaggo/swag', NONE], ['github.com/swaggo/files', NONE], ['github.com/gofiber/swagger', NONE],
  ['github.com/swaggo/gin-swagger', NONE], ['github.com/swaggo/echo-swagger', NONE], ['github.com/swaggo/http-swagger', NONE],
  // Middleware that serves a folder the program names, through a call the scan does not recognise
  // (echo's middleware.Static, fiber's filesystem and favicon): it reads, never writes.
  ['github.com/labstack/echo/middleware', READS], ['github.com/gofiber/fiber/middleware/filesystem', READS],
  ['github.com/gofiber/fiber/middleware/favicon', READS], ['github.com/gofiber/fiber/middleware/static', READS], ['github.com/gin-contrib/static', READS],
  // TLS from certificate files the program names (credentials.NewServerTLSFromFile).
  ['google.golang.org/grpc/credentials', formats(CERTIFICATES)],
  // Database drivers and clients dial the network. Postgres and Mongo drivers open the certificates
  // a connection string names (sslrootcert=, tlsCAFile=) and Postgres the password file; MySQL's
  // LOAD DATA LOCAL INFILE reads a data file the SQL names. SQLite opens the file the program passes
  // to sql.Open or sqlite.Open, which the scan recognises; sqlx and gorm hand over to the driver.
  ['github.com/lib/pq', formats(/\.(pem|crt|cer|cert|key)$|(^|\/)(\.pgpass|pg_service\.conf)$/i)],
  ['github.com/jackc/pgx', formats(/\.(pem|crt|cer|cert|key)$|(^|\/)(\.pgpass|pg_service\.conf)$/i)],
  ['gorm.io/driver/postgres', formats(/\.(pem|crt|cer|cert|key)$|(^|\/)(\.pgpass|pg_service\.conf)$/i)],
  ['github.com/jinzhu/gorm/dialects/postgres', formats(/\.(pem|crt|cer|cert|key)$|(^|\/)(\.pgpass|pg_service\.conf)$/i)],
  ['github.com/go-sql-driver/mysql', formats(/\.(csv|tsv|txt|dat)$/i)], ['gorm.io/driver/mysql', formats(/\.(csv|tsv|txt|dat)$/i)],
  ['github.com/jinzhu/gorm/dialects/mysql', formats(/\.(csv|tsv|txt|dat)$/i)],
  ['go.mongodb.org/mongo-driver', formats(CERTIFICATES)], ['github.com/gocql/gocql', formats(CERTIFICATES)],
  ['github.com/mattn/go-sqlite3', NONE], ['modernc.org/sqlite', NONE], ['gorm.io/driver/sqlite', NONE], ['github.com/glebarez/sqlite', NONE],
  ['gorm.io/gorm', NONE], ['github.com/jinzhu/gorm', NONE], ['github.com/jmoiron/sqlx', NONE],
  ['github.com/go-redis/redis', NONE], ['github.com/redis/go-redis', NONE], ['github.com/gomodule/redigo', NONE],
  ['github.com/elastic/go-elasticsearch', NONE], ['github.com/segmentio/kafka-go', NONE], ['github.com/IBM/sarama', NONE], ['github.com/Shopify/sarama', NONE],
  ['github.com/rabbitmq/amqp091-go', NONE], ['github.com/streadway/amqp', NONE],
  // NATS opens the credentials and key files the program names (nats.UserCredentials).
  ['github.com/nats-io/nats.go', formats(/\.(creds|nk|seed|pem|crt|key)$/i)],
  // Loggers write to the stream the program gives them (standard output or error by default).
  ['github.com/sirupsen/logrus', NONE], ['github.com/rs/zerolog', NONE], ['github.com/labstack/gommon', NONE],
  // zap's file outputs are named in the program's zap calls, which the scan reads.
  ['go.uber.org/zap', NONE],
  // Codecs, validation, identifiers, numbers and containers work on values in memory.
  ['gopkg.in/yaml.v2', NONE], ['gopkg.in/yaml.v3', NONE], ['sigs.k8s.io/yaml', NONE], ['github.com/goccy/go-json', NONE], ['github.com/goccy/go-yaml', NONE],
  ['github.com/json-iterator/go', NONE], ['github.com/bytedance/sonic', NONE], ['github.com/ugorji/go', NONE], ['github.com/vmihailenco/msgpack', NONE],
  ['google.golang.org/protobuf', NONE], ['github.com/golang/protobuf', NONE], ['github.com/gogo/protobuf', NONE],
  ['github.com/tidwall/gjson', NONE], ['github.com/tidwall/sjson', NONE], ['github.com/mitchellh/mapstructure', NONE],
  ['github.com/go-playground/validator', NONE], ['gopkg.in/go-playground/validator.v8', NONE], ['gopkg.in/go-playground/validator.v9', NONE],
  ['github.com/asaskevich/govalidator', NONE], ['github.com/go-ozzo/ozzo-validation', NONE],
  ['github.com/google/uuid', NONE], ['github.com/gofrs/uuid', NONE], ['github.com/satori/go.uuid', NONE], ['github.com/satori/uuid.go', NONE],
  ['github.com/rs/xid', NONE], ['github.com/oklog/ulid', NONE], ['github.com/segmentio/ksuid', NONE],
  ['github.com/shopspring/decimal', NONE], ['github.com/dustin/go-humanize', NONE], ['github.com/deckarep/golang-set', NONE], ['github.com/samber/lo', NONE],
  ['github.com/pkg/errors', NONE], ['github.com/nfnt/resize', NONE], ['github.com/gammazero/workerpool', NONE],
  ['golang.org/x/text', NONE], ['golang.org/x/sync', NONE], ['golang.org/x/exp', NONE], ['golang.org/x/sys', NONE], ['golang.org/x/term', NONE],
  ['golang.org/x/net', NONE], ['golang.org/x/net/webdav', UNKNOWN],
  // Settings from the environment and the command line.
  ['github.com/kelseyhightower/envconfig', NONE], ['github.com/caarlos0/env', NONE], ['github.com/spf13/cobra', NONE], ['github.com/spf13/pflag', NONE],
  // namsral/flag also parses the config file a flag names.
  ['github.com/namsral/flag', READS],
  // Libraries whose file reads the scan recognises in the program's calls (godotenv.Load, viper's config names).
  ['github.com/joho/godotenv', NONE], ['github.com/spf13/viper', NONE],
  // Migration libraries: the scan reads the folder or URL the program hands them (migrate.New, goose.Up, sql-migrate's FileMigrationSource).
  ['github.com/golang-migrate/migrate', NONE], ['github.com/pressly/goose', NONE], ['github.com/rubenv/sql-migrate', NONE],
  // Configuration libraries that open files by names the scan does not follow: the files of their formats stay.
  ['github.com/BurntSushi/toml', formats(/\.toml$/i)], ['github.com/pelletier/go-toml', formats(/\.toml$/i)],
  ['gopkg.in/ini.v1', formats(/\.(ini|conf|cfg)$/i)], ['github.com/go-ini/ini', formats(/\.(ini|conf|cfg)$/i)],
  ['github.com/knadh/koanf', formats(/\.(ya?ml|json|toml|hcl|env|conf)$/i)], ['github.com/ilyakaznacheev/cleanenv', formats(/\.(ya?ml|json|toml|edn|env)$/i)],
  ['github.com/jinzhu/configor', formats(/\.(ya?ml|json|toml)$/i)], ['github.com/gookit/config', formats(/\.(ya?ml|json|toml|ini|hcl|properties)$/i)],
  ['github.com/hashicorp/hcl', formats(/\.(hcl|json)$/i)],
  // Tokens and password hashing work on bytes the program hands over.
  ['github.com/golang-jwt/jwt', NONE], ['github.com/dgrijalva/jwt-go', NONE], ['github.com/gbrlsnchs/jwt', NONE], ['github.com/alexedwards/argon2id', NONE],
  ['github.com/pquerna/otp', NONE],
  ...['bcrypt', 'argon2', 'scrypt', 'pbkdf2', 'sha3', 'blake2b', 'chacha20poly1305', 'nacl', 'hkdf', 'ed25519', 'curve25519', 'ssh/terminal'].map((p): [string, LibraryAccess] => [`golang.org/x/crypto/${p}`, NONE]),
  // Bot API clients: discordgo takes file contents as readers; the Telegram clients also upload a
  // file by the path the program gives (tgbotapi.FilePath, NewPhotoUpload, telebot's FromDisk).
  ['github.com/bwmarrin/discordgo', NONE],
  ['github.com/go-telegram-bot-api/telegram-bot-api', READS], ['gopkg.in/telegram-bot-api.v4', READS], ['gopkg.in/telebot.v3', READS], ['gopkg.in/tucnak/telebot.v2', READS],
  // Mail: attachments by the path the program gives.
  ['github.com/xhit/go-simple-mail', READS],
  // Cloud SDK clients call their services. Credentials come from the environment (a file an ENV of
  // the image names stays), the home folder, or a file the program names: Google's JSON key
  // (option.WithCredentialsFile), AWS's shared credentials and config files, Azure's certificates.
  ['cloud.google.com/go', formats(/\.json$/i)], ['google.golang.org/api', formats(/\.json$/i)],
  ['golang.org/x/oauth2', NONE], ['golang.org/x/oauth2/google', formats(/\.json$/i)],
  ['github.com/aws/aws-sdk-go', formats(/(^|\/)(credentials|config)$|\.(pem|crt)$/i)], ['github.com/aws/aws-sdk-go-v2', formats(/(^|\/)(credentials|config)$|\.(pem|crt)$/i)],
  ['github.com/Azure/azure-sdk-for-go/sdk/azcore', NONE], ['github.com/Azure/azure-sdk-for-go/sdk/ai', NONE],
  ['github.com/Azure/azure-sdk-for-go/sdk/azidentity', formats(CERTIFICATES)],
  ['github.com/stripe/stripe-go', NONE], ['github.com/openzipkin/zipkin-go', NONE], ['go.opentelemetry.io/otel', NONE],
  // Metrics and system facts read /proc and /sys, which every runtime has.
  ['github.com/prometheus/client_golang', NONE], ['github.com/shirou/gopsutil', NONE],
  ['github.com/robfig/cron', NONE], ['github.com/go-co-op/gocron', NONE], ['github.com/jasonlvhit/gocron', NONE],
  // The terminal and its colours.
  ['github.com/tcnksm/go-input', NONE], ['github.com/mattn/go-isatty', NONE], ['github.com/mattn/go-colorable', NONE], ['github.com/fatih/color', NONE],
  // Test helpers, linked only when a non-test file imports them, and then working in memory.
  ['github.com/stretchr/testify', NONE], ['github.com/DATA-DOG/go-sqlmock', NONE],
];
const BY_PREFIX: ReadonlyMap<string, LibraryAccess> = new Map(LIBRARIES);

/** A package path without its major-version elements: `github.com/labstack/echo/v4/middleware` -> `github.com/labstack/echo/middleware`. */
function withoutMajorVersion(importPath: string): string {
  return importPath
    .split('/')
    .filter((part, i) => i === 0 || !/^v\d+$/.test(part))
    .join('/');
}

/** What a third-party package may do with the image's files, by the longest listed prefix; `unknown` when none is listed. */
export function libraryAccess(importPath: string): LibraryAccess {
  const parts = withoutMajorVersion(importPath).split('/');
  for (let i = parts.length; i > 0; i--) {
    const known = BY_PREFIX.get(parts.slice(0, i).join('/'));
    if (known) return known;
  }
  return UNKNOWN;
}

/**
 * The third-party packages the program's sources import whose code the scan did not read: not the
 * module's own packages, not a module replaced by a folder inside the build context, and (without a
 * go.mod, in GOPATH mode) not a package whose folder the context holds. go.mod's requirements add
 * nothing: one that no source imports is not linked into the binary (a tool, a test helper, a
 * leftover), and the indirect ones are what the imported packages pull in, which their entries cover.
 */
export function unreadImports(project: ProjectFacts): string[] {
  const go = goFacts(project);
  const own = go.goMod?.module;
  const within = (path: string, module: string): boolean => path === module || path.startsWith(`${module}/`);
  const goModFolder = go.goModPath?.includes('/') ? go.goModPath.slice(0, go.goModPath.lastIndexOf('/')) : '';
  const replacedInside = (go.goMod?.replaces ?? []).filter((r) => /^\.\.?(\/|$)/.test(r.to) && insideContext(goModFolder, r.to)).map((r) => r.from);
  const sourceFolders = new Set<string>();
  for (const file of project.contextListing.files.keys()) {
    if (!file.endsWith('.go') || file.endsWith('_test.go')) continue;
    const parts = file.split('/');
    if (parts.slice(0, -1).some((p) => p === 'vendor' || p === 'testdata' || p.startsWith('.') || p.startsWith('_'))) continue;
    sourceFolders.add(parts.slice(0, -1).join('/'));
  }
  const inContext = (importPath: string): boolean => {
    if (go.goMod) return false;
    // GOPATH mode: github.com/me/app/controllers is the context's controllers/ (or src/github.com/me/app/controllers).
    // The project's own path has a host, an owner and a name at least, so github.com/acme/log is not a log/ folder.
    const parts = importPath.split('/');
    for (let i = 3; i < parts.length; i++) if (sourceFolders.has(parts.slice(i).join('/'))) return true;
    return [...sourceFolders].some((f) => f === importPath || f.endsWith(`/${importPath}`));
  };
  return [...go.needs.imports]
    .filter((i) => (i.split('/')[0] ?? '').includes('.'))
    .filter((i) => !(own && within(i, own)) && !replacedInside.some((r) => within(i, r)) && !inContext(i))
    .sort();
}

/** Whether go.mod's folder joined with a relative replacement stays inside the build context. */
function insideContext(goModFolder: string, to: string): boolean {
  const depth = goModFolder === '' ? 0 : goModFolder.split('/').length;
  let level = depth;
  for (const part of to.split('/')) {
    if (part === '..') level--;
    else if (part !== '.' && part !== '') level++;
    if (level < 0) return false;
  }
  return true;
}

