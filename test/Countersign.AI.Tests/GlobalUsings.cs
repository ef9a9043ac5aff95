global using Countersign.AI.Tests.Fakes;
global using Microsoft.Extensions.AI;
